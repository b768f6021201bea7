"""Connectors shipped with the SDK (run with `python -m agent_relay_client.connectors.<name>`).

`manifest(name)` is the manifest to register with `POST /api/connectors`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def manifest(name: str = "webhook") -> dict[str, Any]:
    """The manifest of a shipped connector, e.g. `manifest("webhook")`."""
    data: dict[str, Any] = json.loads((HERE / f"{name}.manifest.json").read_text())
    return data


__all__ = ["manifest"]
