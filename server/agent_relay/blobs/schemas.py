from __future__ import annotations

from agent_relay.wire import OutModel


class BlobOut(OutModel):
    id: str
    size: int
    content_type: str
    sha256: str
