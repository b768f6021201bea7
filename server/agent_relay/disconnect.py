"""Stop waiting for a client that has gone. A long-poll holds one of the capped waiting
slots (`AGENT_RELAY_MAX_LONG_POLLS`) until something arrives or its wait runs out; a client
that hangs up would otherwise keep its slot (up to 60 s) and, repeated, refuse everyone
else with 503s."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
Receive = Callable[[], Awaitable[dict[str, Any]]]


async def _until_disconnected(receive: Receive) -> None:
    # The request has no body left to read (a GET), so the server's next message is the
    # disconnect: uvicorn sends it when the connection is lost (or once the answer is sent).
    while (await receive())["type"] != "http.disconnect":
        pass


async def unless_disconnected(receive: Receive, work: Coroutine[Any, Any, T]) -> tuple[bool, T | None]:
    """Run `work` while watching the connection: `(True, result)` when it finishes, or
    `(False, None)` once the client has disconnected, with `work` cancelled (its `finally`
    frees what it held)."""
    task = asyncio.ensure_future(work)
    watch = asyncio.ensure_future(_until_disconnected(receive))
    try:
        await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done() and watch.exception() is not None:
            await asyncio.wait({task})  # the watch itself failed: just finish the work
    except BaseException:  # the handler was cancelled: take both down
        task.cancel()
        watch.cancel()
        raise
    if task.done():
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch
        return True, task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return False, None
