"""Blobs: raw uploads kept content-addressed under AGENT_RELAY_HOME/blobs."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from agent_relay.settings import Settings

from tests.api.channel_helpers import bind, envelope, post_event, register_agent, register_channel

BLOB_MAX = 2 * 1024 * 1024


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        home=tmp_path / "home",
        reap_interval_ms=0,
        sse_heartbeat_ms=500,
        blob_max_bytes=BLOB_MAX,
    )


def _stored_files(settings: Settings) -> list[Path]:
    root = settings.home_dir / "blobs"
    return [p for p in root.rglob("*") if p.is_file() and p.parent.name != "tmp"]


async def test_blob_round_trip_and_dedupe(client: httpx.AsyncClient, settings: Settings) -> None:
    data = os.urandom(1536 * 1024)  # over the 1 MiB JSON body cap, under the blob cap
    digest = hashlib.sha256(data).hexdigest()
    created = await client.post("/api/blobs", content=data, headers={"Content-Type": "image/png"})
    assert created.status_code == 201, created.text
    assert created.json() == {"id": digest, "size": len(data), "contentType": "image/png", "sha256": digest}
    fetched = await client.get(f"/api/blobs/{digest}")
    assert fetched.status_code == 200 and fetched.content == data
    assert fetched.headers["content-type"] == "image/png"
    assert int(fetched.headers["content-length"]) == len(data)

    again = await client.post("/api/blobs", content=data, headers={"Content-Type": "image/png"})
    assert again.status_code == 200 and again.json()["id"] == digest
    files = _stored_files(settings)
    assert files == [settings.home_dir / "blobs" / digest[:2] / digest], "same bytes stored once"
    assert list((settings.home_dir / "blobs" / "tmp").iterdir()) == [], "no temp files left"

    plain = await client.post("/api/blobs", content=b"hello")
    assert plain.status_code == 201 and plain.json()["contentType"] == "application/octet-stream"
    assert len(_stored_files(settings)) == 2


async def test_blob_size_limit_and_unknown(client: httpx.AsyncClient, settings: Settings) -> None:
    too_big = await client.post(
        "/api/blobs", content=b"x" * (BLOB_MAX + 1), headers={"Content-Type": "text/plain"}
    )
    assert too_big.status_code == 413
    assert too_big.json() == {"error": f"request body too large (max {BLOB_MAX} bytes)"}

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(3):
            yield b"y" * (BLOB_MAX // 2)

    streamed = await client.post("/api/blobs", content=chunks())
    assert streamed.status_code == 413
    assert _stored_files(settings) == []
    tmp = settings.home_dir / "blobs" / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == [], "an aborted upload leaves nothing behind"

    unknown = await client.get(f"/api/blobs/{'0' * 64}")
    assert unknown.status_code == 404 and unknown.json() == {"error": "blob not found"}
    long_type = await client.post("/api/blobs", content=b"a", headers={"Content-Type": "x/" + "y" * 300})
    assert long_type.status_code == 400 and long_type.json() == {
        "error": "Content-Type must be at most 200 characters"
    }


async def test_event_with_relay_blob_attachment(client: httpx.AsyncClient) -> None:
    await register_channel(client)
    await register_agent(client, "worker")
    await bind(client, "worker")
    blob = (
        await client.post("/api/blobs", content=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    ).json()
    attachments = [
        {"name": "spec.pdf", "ref": {"type": "relay-blob", "id": blob["id"]}},
        {"name": "logo", "ref": {"type": "external-url", "url": "https://example.test/logo.png"}},
    ]
    response = await post_event(client, envelope(attachments=attachments, message={"text": "see attached"}))
    assert response.status_code == 201, response.text
    (message,) = response.json()["messages"]
    assert message["payload"]["attachments"][0]["ref"]["id"] == blob["id"]
    # the receiving agent can fetch it
    assert (await client.get(f"/api/blobs/{blob['id']}")).content == b"%PDF-1.7"
    # attachments alone are enough content
    only = await post_event(client, envelope(attachments=attachments[:1], message=None))
    assert only.status_code == 201 and only.json()["messages"][0]["body"] == "Channel event"


ACTIVE_TYPES = [
    "text/html",
    "TEXT/HTML; charset=utf-8",
    "image/svg+xml",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
    "application/javascript",
    "application/x-shockwave-flash",
    "multipart/x-mixed-replace; boundary=x",
    "application/x-made-up",
    "video",  # not even a type/subtype
]


@pytest.mark.parametrize("content_type", ACTIVE_TYPES)
async def test_active_blobs_are_never_served_inline(client: httpx.AsyncClient, content_type: str) -> None:
    """Stored XSS: served with the uploader's type, HTML or SVG would run as the relay's origin."""
    page = b"<html><script>fetch('/api/connectors')</script><svg onload=alert(1)></svg></html>"
    created = await client.post("/api/blobs", content=page, headers={"Content-Type": content_type})
    assert created.status_code == 201, created.text
    assert created.json()["contentType"] == content_type, "the metadata keeps what was uploaded"
    fetched = await client.get(f"/api/blobs/{created.json()['id']}")
    assert fetched.status_code == 200 and fetched.content == page
    assert fetched.headers["content-type"] == "application/octet-stream"
    assert fetched.headers["x-content-type-options"] == "nosniff"
    assert fetched.headers["content-disposition"] == f'attachment; filename="{created.json()["id"]}"'
    assert "sandbox" in fetched.headers["content-security-policy"].split("; ")


@pytest.mark.parametrize(
    ("uploaded", "served"),
    [
        ("image/png", "image/png"),
        ("image/JPEG", "image/jpeg"),
        ("application/pdf", "application/pdf"),
        ("text/plain; charset=utf-8", "text/plain; charset=utf-8"),
        ('text/plain; charset="latin-1"; x=<script>', "text/plain; charset=latin-1"),
        ("video/mp4", "video/mp4"),
        ("audio/ogg; codecs=opus", "audio/ogg"),
    ],
)
async def test_passive_blobs_keep_their_type_as_attachments(
    client: httpx.AsyncClient, uploaded: str, served: str
) -> None:
    created = await client.post("/api/blobs", content=uploaded.encode(), headers={"Content-Type": uploaded})
    fetched = await client.get(f"/api/blobs/{created.json()['id']}")
    assert fetched.headers["content-type"] == served
    assert fetched.headers["x-content-type-options"] == "nosniff"
    assert fetched.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in fetched.headers["content-security-policy"]
