"""The session fence: the (instanceId, epoch) a process claims to be. A newer session shuts
older processes of the same agent out (409 `agent session superseded`).

One spelling of the rule: routes take the guard as a dependency (`SessionGuardDep`, parsed
once from `X-Agent-Instance-Id` / `X-Agent-Epoch`), fill in body fields with `or_body`
(headers win, as in the seed's normalizeAgentSessionGuard), and services check it against
the registered card with `SessionGuard.check` (through `agents.service.validate_session`
when the card must be read)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from agent_relay.errors import BadRequest, Conflict
from agent_relay.wire import MAX_SAFE_INTEGER

SUPERSEDED = "agent session superseded"


@dataclass(frozen=True, slots=True)
class SessionGuard:
    instance_id: str | None = None
    epoch: int | None = None

    @property
    def given(self) -> bool:
        return self.instance_id is not None or self.epoch is not None

    def or_body(self, instance_id: str | None, epoch: int | None) -> SessionGuard:
        """This guard with the body's fields where no header set them."""
        if (instance_id is None or self.instance_id) and (epoch is None or self.epoch is not None):
            return self
        return SessionGuard(
            self.instance_id or instance_id or None, self.epoch if self.epoch is not None else epoch
        )

    def check(self, current_instance: str | None, current_epoch: int | None) -> None:
        """409 when this guard names an older session than the registered one: a lower
        epoch, or another instance at the same epoch (or with no epochs to compare)."""
        if not self.given:
            return
        if self.epoch is not None and current_epoch is not None:
            if self.epoch < current_epoch:
                raise Conflict(SUPERSEDED)
            if self.epoch > current_epoch:
                return
        if self.instance_id and current_instance and self.instance_id != current_instance:
            raise Conflict(SUPERSEDED)


NO_GUARD = SessionGuard()


def guard_from_headers(raw_headers: list[tuple[bytes, bytes]]) -> SessionGuard:
    """One scan of the raw header list (Starlette's Headers.get scans once per name)."""
    instance_id: str | None = None
    raw_epoch: str | None = None
    for name, value in raw_headers:
        if name == b"x-agent-instance-id":
            instance_id = value.decode("latin-1") or None
        elif name == b"x-agent-epoch":
            raw_epoch = value.decode("latin-1")
    if instance_id is None and not raw_epoch:
        return NO_GUARD
    return SessionGuard(instance_id, parse_epoch_header(raw_epoch) if raw_epoch else None)


def parse_epoch_header(raw: str) -> int:
    """X-Agent-Epoch: ASCII digits (int() would also take "1_0", " 5" or other scripts'
    digits), 0 to 2^53 - 1 like the body's `epoch` (§12)."""
    digits = raw[1:] if raw.startswith("-") else raw
    if not (digits.isascii() and digits.isdigit()):
        raise BadRequest("X-Agent-Epoch must be an integer")
    if raw.startswith("-"):
        raise BadRequest("X-Agent-Epoch must be a non-negative integer")
    if len(digits) > 16 or int(digits) > MAX_SAFE_INTEGER:
        raise BadRequest(f"X-Agent-Epoch must be at most {MAX_SAFE_INTEGER}")
    return int(digits)


async def session_guard(request: Request) -> SessionGuard:
    # async: a plain def dependency would cost a thread-pool hop on every request
    return guard_from_headers(request.headers.raw)


SessionGuardDep = Annotated[SessionGuard, Depends(session_guard)]
