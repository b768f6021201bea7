from __future__ import annotations

from typing import TypedDict

from agent_relay.wire import OutModel, WireShape


class BlobOut(OutModel):
    id: str
    size: int
    content_type: str
    sha256: str


class BlobRecord(TypedDict):
    id: str
    size: int
    contentType: str
    sha256: str


# content-addressed: the id is the sha256
BLOB_WIRE = WireShape(BlobOut, BlobRecord, columns={"sha256": "id"})
