"""Blob storage: content-addressed files under AGENT_RELAY_HOME/blobs, metadata in the DB.

An upload streams to a temporary file while its sha256 is computed, then is renamed to
blobs/<sha[:2]>/<sha>; the same bytes uploaded again end up at the same path, so they are
stored once. The rename is atomic, so a reader never sees a half-written blob."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from collections.abc import AsyncIterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Connection

from agent_relay.blobs import repository as repo
from agent_relay.blobs.schemas import BLOB_WIRE, BlobRecord
from agent_relay.db import Database, UnitOfWork
from agent_relay.errors import BadRequest, NotFound, PayloadTooLarge

DEFAULT_CONTENT_TYPE = "application/octet-stream"
MAX_CONTENT_TYPE_CHARS = 200
# Blobs are whatever an uploader sent, served from the relay's own origin: served with the
# uploader's type, an HTML or SVG blob would run script as the relay (stored XSS). So only
# passive types keep their type on the way out (an allow-list: anything not known to be
# inert, HTML, SVG, XML, JS and every unknown type included, is served as bytes), and every
# download is an attachment in a CSP sandbox that the browser must not sniff.
PASSIVE_TYPES = frozenset(
    {
        "application/octet-stream",
        "application/pdf",
        "application/json",
        "application/zip",
        "application/gzip",
        "application/x-tar",
        "text/plain",
        "text/csv",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
        "image/bmp",
    }
)
PASSIVE_PREFIXES = ("audio/", "video/")
_CHARSET = re.compile(r"charset=\"?([A-Za-z0-9._-]{1,40})\"?", re.IGNORECASE)
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def blob_root(home: Path) -> Path:
    return home / "blobs"


def blob_path(root: Path, blob_id: str) -> Path:
    return root / blob_id[:2] / blob_id


def clean_content_type(value: str | None) -> str:
    content_type = (value or "").strip() or DEFAULT_CONTENT_TYPE
    if len(content_type) > MAX_CONTENT_TYPE_CHARS:
        raise BadRequest(f"Content-Type must be at most {MAX_CONTENT_TYPE_CHARS} characters")
    return content_type


def served_type(content_type: str) -> str:
    """The Content-Type a blob is served with: its own for passive types (and a plain charset
    for text), application/octet-stream for everything else."""
    essence, _, params = content_type.partition(";")
    essence = essence.strip().lower()
    if essence not in PASSIVE_TYPES and not (
        essence.startswith(PASSIVE_PREFIXES) and re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", essence)
    ):
        return DEFAULT_CONTENT_TYPE
    charset = _CHARSET.search(params) if essence.startswith("text/") else None
    return f"{essence}; charset={charset.group(1)}" if charset else essence


def download_headers(blob: BlobRecord) -> dict[str, str]:
    return {
        **DOWNLOAD_HEADERS,
        # the id is hex (a sha256), so the name needs no quoting rules
        "Content-Disposition": f'attachment; filename="{blob["sha256"]}"',
        "X-Blob-Sha256": blob["sha256"],
        "Cache-Control": "private, max-age=31536000, immutable",
    }


class BlobUpload:
    """Receives an upload's chunks; `finish()` moves it into place, `abort()` drops it."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        tmp_dir = root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        self._file = os.fdopen(fd, "wb")
        self._tmp = Path(name)
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise PayloadTooLarge(f"request body too large (max {self.max_bytes} bytes)")
        self._hash.update(chunk)
        self._file.write(chunk)

    def finish(self) -> tuple[str, int]:
        """Blocking (fsync, rename): run it on a worker thread."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        digest = self._hash.hexdigest()
        final = blob_path(self.root, digest)
        if final.exists():
            self._tmp.unlink(missing_ok=True)  # same bytes already stored
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self._tmp, final)
        return digest, self.size

    def abort(self) -> None:
        if not self._file.closed:
            self._file.close()
        self._tmp.unlink(missing_ok=True)


async def upload(
    db: Database, home: Path, max_bytes: int, content_type: str | None, chunks: AsyncIterable[bytes]
) -> tuple[BlobRecord, bool]:
    """Stream an upload into place (file work on worker threads), then record it: 201 the
    first time these bytes arrive, 200 after."""
    content_type = clean_content_type(content_type)
    upload = await asyncio.to_thread(BlobUpload, blob_root(home), max_bytes)
    try:
        async for chunk in chunks:
            if chunk:
                upload.write(chunk)
        blob_id, size = await asyncio.to_thread(upload.finish)
    except BaseException:
        upload.abort()
        raise
    return await db.write(lambda uow: record(uow, blob_id, size, content_type))


def record(uow: UnitOfWork, blob_id: str, size: int, content_type: str) -> tuple[BlobRecord, bool]:
    row, created = repo.insert(
        uow.conn, {"id": blob_id, "size": size, "content_type": content_type, "created_at": uow.now}
    )
    return BLOB_WIRE.build(row), created


def require_file(conn: Connection, root: Path, blob_id: str) -> tuple[BlobRecord, Path]:
    row = repo.get(conn, blob_id)
    if row is None:
        raise NotFound("blob not found")
    path = blob_path(root, row["id"])
    if not path.is_file():
        raise NotFound("blob not found")
    return BLOB_WIRE.build(row), path


@dataclass(frozen=True, slots=True)
class BlobDownload:
    path: Path
    media_type: str
    headers: dict[str, str]


def download(conn: Connection, home: Path, blob_id: str) -> BlobDownload:
    blob, path = require_file(conn, blob_root(home), blob_id)
    return BlobDownload(path, served_type(blob["contentType"]), download_headers(blob))


def check_refs(conn: Connection, refs: list[tuple[int, str]]) -> None:
    """400 naming the first relay-blob attachment whose blob the relay does not have."""
    if not refs:
        return
    known = repo.existing_ids(conn, [blob_id for _, blob_id in refs])
    for index, blob_id in refs:
        if blob_id not in known:
            raise BadRequest(f"payload.attachments[{index}].ref.id names an unknown blob: {blob_id}")
