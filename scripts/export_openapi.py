"""Write the server's OpenAPI spec to sdk/openapi.json (or the path given), sorted and stable.

    python scripts/export_openapi.py [OUT]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from agent_relay.app import create_app
from agent_relay.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def export() -> str:
    # Settings() only shapes runtime behaviour; the spec depends on the code alone.
    spec = create_app(Settings()).openapi()
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "sdk" / "openapi.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(export(), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv)
