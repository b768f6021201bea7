"""The inbox's first-delivery buffer (§15 ledger, inbox/service.py): each (message, agent)
pair is queued for the ledger once, memory stays bounded, and a failed write forgets what
it held so a later read records it again."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from agent_relay.inbox import service as inbox_service
from agent_relay.inbox.service import _DeliveryRecorder


class _FakeDb:
    """db.write runs the job, whose messages.record_delivered is captured here."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.batches: list[list[tuple[str, list[int]]]] = []
        self.fail = False
        monkeypatch.setattr(
            inbox_service, "messages", SimpleNamespace(record_delivered=lambda uow, batch: batch)
        )

    async def write(self, fn):
        batch = fn(None)
        if self.fail:
            raise RuntimeError("database gone")
        self.batches.append(batch)


def _items(*ids: int) -> list[dict]:
    return [{"id": i} for i in ids]


async def _flushed(recorder: _DeliveryRecorder) -> None:
    while recorder.tasks:
        await asyncio.gather(*recorder.tasks)


async def test_each_pair_is_queued_once(monkeypatch: pytest.MonkeyPatch) -> None:
    db = _FakeDb(monkeypatch)
    recorder = _DeliveryRecorder(db)  # type: ignore[arg-type]
    recorder.BATCH_WINDOW_S = 0
    recorder.record("a1", _items(1, 2, 3))  # type: ignore[arg-type]
    recorder.record("a1", _items(1, 2, 3))  # type: ignore[arg-type]  # the same page again
    recorder.record("a1", _items(2, 3, 4))  # type: ignore[arg-type]
    recorder.record("a2", _items(1))  # type: ignore[arg-type]  # another agent: its own pair
    await _flushed(recorder)
    assert db.batches == [[("a1", [1, 2, 3]), ("a1", [4]), ("a2", [1])]]
    recorder.record("a1", _items(1, 2, 3, 4))  # type: ignore[arg-type]
    await _flushed(recorder)
    assert len(db.batches) == 1 and recorder.count == 5


async def test_memory_is_bounded_least_recent_agents_first(monkeypatch: pytest.MonkeyPatch) -> None:
    db = _FakeDb(monkeypatch)
    recorder = _DeliveryRecorder(db)  # type: ignore[arg-type]
    recorder.BATCH_WINDOW_S = 0
    recorder.MAX_SEEN = 10
    recorder.record("old", _items(1, 2, 3))  # type: ignore[arg-type]
    recorder.record("mid", _items(1, 2, 3))  # type: ignore[arg-type]
    recorder.record("old", _items(4))  # type: ignore[arg-type]  # "old" is now the most recent
    recorder.record("new", _items(1, 2, 3, 4))  # type: ignore[arg-type]  # 11 pairs: forget
    assert recorder.count <= recorder.MAX_SEEN
    assert "mid" not in recorder.seen and "new" in recorder.seen
    await _flushed(recorder)
    recorder.record("mid", _items(1))  # type: ignore[arg-type]  # forgotten: recorded again (harmless)
    await _flushed(recorder)
    assert db.batches[-1] == [("mid", [1])]


async def test_a_failed_write_forgets_its_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    db = _FakeDb(monkeypatch)
    db.fail = True
    recorder = _DeliveryRecorder(db)  # type: ignore[arg-type]
    recorder.BATCH_WINDOW_S = 0
    recorder.record("a1", _items(1, 2))  # type: ignore[arg-type]
    await _flushed(recorder)
    assert db.batches == [] and recorder.count == 0
    db.fail = False
    recorder.record("a1", _items(1, 2))  # type: ignore[arg-type]
    await _flushed(recorder)
    assert db.batches == [[("a1", [1, 2])]]
