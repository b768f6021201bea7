from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import FileResponse

from agent_relay.blobs import service
from agent_relay.blobs.schemas import BlobOut
from agent_relay.context import RelayDep
from agent_relay.wire import error_responses, json_response

router = APIRouter(prefix="/api/blobs", tags=["blobs"])

BlobId = Annotated[str, Path(alias="id", min_length=1, max_length=200, description="The blob's sha256 (hex)")]


@router.post(
    "",
    response_model=BlobOut,
    status_code=201,
    responses={
        200: {"model": BlobOut, "description": "The same bytes were already stored"},
        **error_responses(400, 413),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The raw bytes; their Content-Type is kept",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def upload_blob(request: Request, relay: RelayDep):
    """Store a blob for `relay-blob` attachment refs. Content-addressed: the id is the
    sha256 of the bytes, and the same bytes are stored once (201 first, 200 after)."""
    settings = relay.settings
    blob, created = await service.upload(
        relay.db,
        settings.home_dir,
        settings.blob_max_bytes,
        request.headers.get("content-type"),
        request.stream(),
    )
    return json_response(blob, 201 if created else 200)


@router.get(
    "/{id}",
    response_class=FileResponse,
    responses={
        200: {
            "content": {"application/octet-stream": {}},
            "description": "The blob's bytes, as an attachment (passive types keep their content type)",
        },
        **error_responses(404),
    },
)
async def download_blob(blob_id: BlobId, relay: RelayDep):
    """The blob's bytes, as a download: `Content-Disposition: attachment`, `nosniff`, a
    `sandbox` CSP. Passive types (images, audio, video, PDF, plain text, JSON, archives) keep
    the content type they were uploaded with; anything else (HTML, SVG, XML, JS, unknown) is
    served as `application/octet-stream`."""
    home = relay.settings.home_dir
    blob = await relay.db.read(lambda conn: service.download(conn, home, blob_id))
    return FileResponse(blob.path, media_type=blob.media_type, headers=blob.headers)
