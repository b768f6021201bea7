from __future__ import annotations

import asyncio
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
    content_type = service.clean_content_type(request.headers.get("content-type"))
    root = service.blob_root(relay.settings.home_dir)
    upload = await asyncio.to_thread(service.BlobUpload, root, relay.settings.blob_max_bytes)
    try:
        async for chunk in request.stream():
            if chunk:
                upload.write(chunk)
        blob_id, size = await asyncio.to_thread(upload.finish)
    except BaseException:
        upload.abort()
        raise
    blob, created = await relay.db.write(lambda uow: service.record(uow, blob_id, size, content_type))
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
    root = service.blob_root(relay.settings.home_dir)
    blob, path = await relay.db.read(lambda conn: service.require_file(conn, root, blob_id))
    return FileResponse(
        path, media_type=service.served_type(blob["contentType"]), headers=service.download_headers(blob)
    )
