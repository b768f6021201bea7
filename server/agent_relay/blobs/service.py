"""Blob storage: content-addressed files under AGENT_RELAY_HOME/blobs, metadata in the DB.

An upload streams to a temporary file while its sha256 is computed, then is renamed to
blobs/<sha[:2]>/<sha>; the same bytes uploaded again end up at the same path, so they are
stored once. The rename is atomic, so a reader never sees a half-written blob."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from agent_relay.blobs import repository as repo
from agent_relay.db import UnitOfWork
from agent_relay.errors import BadRequest, NotFound, PayloadTooLarge

DEFAULT_CONTENT_TYPE = "application/octet-stream"
MAX_CONTENT_TYPE_CHARS = 200


def blob_root(home: Path) -> Path:
    return home / "blobs"


def blob_path(root: Path, blob_id: str) -> Path:
    return root / blob_id[:2] / blob_id


def clean_content_type(value: str | None) -> str:
    content_type = (value or "").strip() or DEFAULT_CONTENT_TYPE
    if len(content_type) > MAX_CONTENT_TYPE_CHARS:
        raise BadRequest(f"Content-Type must be at most {MAX_CONTENT_TYPE_CHARS} characters")
    return content_type


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


def record(uow: UnitOfWork, blob_id: str, size: int, content_type: str) -> tuple[dict[str, Any], bool]:
    row, created = repo.insert(
        uow.conn, {"id": blob_id, "size": size, "content_type": content_type, "created_at": uow.now}
    )
    return repo.to_wire(row), created


def require_file(conn: Connection, root: Path, blob_id: str) -> tuple[dict[str, Any], Path]:
    row = repo.get(conn, blob_id)
    if row is None:
        raise NotFound("blob not found")
    path = blob_path(root, row["id"])
    if not path.is_file():
        raise NotFound("blob not found")
    return repo.to_wire(row), path


def check_refs(conn: Connection, refs: list[tuple[int, str]]) -> None:
    """400 naming the first relay-blob attachment whose blob the relay does not have."""
    if not refs:
        return
    known = repo.existing_ids(conn, [blob_id for _, blob_id in refs])
    for index, blob_id in refs:
        if blob_id not in known:
            raise BadRequest(f"payload.attachments[{index}].ref.id names an unknown blob: {blob_id}")
