"""The layers' import rules (docs/architecture.md), read from each file's syntax tree (every
import, also inside functions and TYPE_CHECKING):
- the foundations (`db`, `events` and the shared top-level modules) import no domain
  package, so arrows only run down the house;
- a domain's repository is imported by its own package only, and never by a router:
  services are the only door to a domain's data."""

from __future__ import annotations

import ast
from pathlib import Path

import agent_relay

PACKAGE = Path(agent_relay.__file__).parent
# Packages every layer may use: the database layer, the event bus, the table definitions.
SHARED_PACKAGES = {"db", "events", "models"}
DOMAIN_PACKAGES = {
    p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name not in SHARED_PACKAGES
}
# The composition roots wire the domains together; every other top-level module is shared
# ground (session, principal, leases, wire, validation, addressing, middleware, …).
COMPOSITION_ROOTS = {"app.py", "asgi.py", "cli.py"}
FOUNDATIONS = [
    *sorted((PACKAGE / "db").rglob("*.py")),
    *sorted((PACKAGE / "events").rglob("*.py")),
    *sorted(p for p in PACKAGE.glob("*.py") if p.name not in COMPOSITION_ROOTS),
]


def imported_modules(source: str, package: tuple[str, ...]) -> set[str]:
    """Every agent_relay module a file of `package` imports, as a dotted name (relative
    imports resolved)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = ".".join(package[: len(package) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            # `from agent_relay import agents` imports the package `agents`
            out.update(f"{base}.{alias.name}" for alias in node.names)
            out.add(base)
    return {name for name in out if name.split(".")[0] == "agent_relay"}


def domain_imports(path: Path, source: str | None = None) -> set[str]:
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    return {
        name
        for name in imported_modules(path.read_text() if source is None else source, package)
        if len(parts := name.split(".")) > 1 and parts[1] in DOMAIN_PACKAGES
    }


def test_the_domain_packages_are_found() -> None:
    assert {"agents", "messages", "channels", "tasks", "stream"} <= DOMAIN_PACKAGES
    assert len(FOUNDATIONS) > 6


def test_the_walker_sees_every_spelling() -> None:
    """Guards the guard: each way of importing a domain is caught."""
    assert "agent_relay.agents.service" in domain_imports(PACKAGE / "stream" / "router.py")
    in_events = PACKAGE / "events" / "log.py"
    for source in (
        "import agent_relay.agents.service",
        "from agent_relay.messages import service",
        "from agent_relay import channels",
        "def f():\n    from ..tasks import service",
        "if TYPE_CHECKING:\n    from agent_relay.stream.router import router",
    ):
        assert domain_imports(in_events, source), source
    assert not domain_imports(in_events, "from agent_relay.db import Database\nfrom . import hub")


def test_the_foundations_import_no_domain_package() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(found)
        for path in FOUNDATIONS
        if (found := domain_imports(path))
    }
    assert offenders == {}


def _domain_files() -> list[Path]:
    return sorted(p for name in DOMAIN_PACKAGES for p in (PACKAGE / name).rglob("*.py"))


def test_no_router_imports_a_repository() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(found)
        for path in _domain_files()
        if "router" in path.name
        and (found := {name for name in domain_imports(path) if name.endswith(".repository")})
    }
    assert offenders == {}


def test_a_repository_is_used_by_its_own_domain_only() -> None:
    offenders: dict[str, list[str]] = {}
    for path in _domain_files():
        own = path.relative_to(PACKAGE).parts[0]
        found = {
            name
            for name in domain_imports(path)
            if name.endswith(".repository") and name.split(".")[1] != own
        }
        if found:
            offenders[str(path.relative_to(PACKAGE))] = sorted(found)
    assert offenders == {}


def test_the_repository_rules_see_a_violation() -> None:
    router = PACKAGE / "messages" / "router.py"
    found = domain_imports(router, "from agent_relay.messages import repository as repo")
    assert {name for name in found if name.endswith(".repository")} == {"agent_relay.messages.repository"}
    service = PACKAGE / "integrations" / "service.py"
    found = domain_imports(service, "from ..tasks import repository")
    assert "agent_relay.tasks.repository" in found
