"""Write the custom openapi-python-client templates for the SDK into a directory.

- client.py.jinja: the pinned generator's template imports `typing.Self`, which Python
  3.10 lacks; the SDK supports 3.10, so the import moves under TYPE_CHECKING (annotations
  are strings via `from __future__ import annotations`). Patched from the installed
  generator's own template, so a generator upgrade keeps its other changes; fails loudly
  if the line moves.
- api_init.py.jinja: scripts/sdk_facade.py.jinja, the typed facade (`Operations` /
  `AsyncOperations`, one method per operation) rendered as `_generated/api/__init__.py`.
  The generator renders that template with every parsed endpoint in its globals, so the
  facade is generated from the spec in the same run as the operation modules."""

from __future__ import annotations

import sys
from pathlib import Path

import openapi_python_client

OLD = "from typing import Any, Self\n"
NEW = "from typing import TYPE_CHECKING, Any\n\nif TYPE_CHECKING:\n    from typing_extensions import Self\n"
FACADE = Path(__file__).with_name("sdk_facade.py.jinja")


def main(out: str) -> None:
    source = Path(openapi_python_client.__file__).parent / "templates" / "client.py.jinja"
    text = source.read_text(encoding="utf-8")
    if OLD not in text:
        raise SystemExit(f"sdk_templates: {source} changed; update scripts/sdk_templates.py")
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    (target / "client.py.jinja").write_text(
        "from __future__ import annotations\n\n" + text.replace(OLD, NEW), encoding="utf-8"
    )
    (target / "api_init.py.jinja").write_text(FACADE.read_text(encoding="utf-8"), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
