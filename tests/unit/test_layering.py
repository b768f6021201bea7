"""The layers' import rule (docs/architecture.md): the foundations — `db`, `events`,
`settings`, `errors` — import no domain package, so arrows only run down the house. Read
from each file's syntax tree (every import, also inside functions and TYPE_CHECKING)."""

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
FOUNDATIONS = [
    *sorted((PACKAGE / "db").rglob("*.py")),
    *sorted((PACKAGE / "events").rglob("*.py")),
    PACKAGE / "settings.py",
    PACKAGE / "errors.py",
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
