"""The one lease rule, for every claimable thing (messages, tasks, callback deliveries).

A claim is *live* while its holder is set and its expiry is not yet past; an expired claim
is as good as none. "Free for X" (X may take or extend it) is the negation of "live and held
by someone else". Queries use the SQL forms inside conditional UPDATEs, so the rule holds
across processes; code that already holds a row uses the Python form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from agent_relay.settings import Settings


def is_live(holder: str | None, expires_at: int | None, now: int) -> bool:
    """A held claim with no expiry never lapses (a task claimed without a lease)."""
    return holder is not None and (expires_at is None or expires_at >= now)


def row_is_live(row: Mapping[Any, Any], now: int) -> bool:
    return is_live(row["claimed_by"], row["claim_expires_at"], now)


def free_for(
    holder: sa.ColumnElement[Any], expires_at: sa.ColumnElement[Any], agent: Any, now: Any
) -> ColumnElement[bool]:
    """SQL: nobody holds it, `agent` holds it already (extending), or the lease ran out."""
    return sa.or_(holder.is_(None), holder == agent, expires_at < now)


def held_by(
    holder: sa.ColumnElement[Any], expires_at: sa.ColumnElement[Any], agent: Any, now: Any
) -> ColumnElement[bool]:
    """SQL: `agent` holds a live claim (what completes a message on ack, and what makes a
    claim an extension rather than a new delivery)."""
    return sa.and_(holder == agent, sa.or_(expires_at.is_(None), expires_at >= now))


def visible(hidden_until: sa.ColumnElement[Any], now: Any) -> ColumnElement[bool]:
    """SQL: not held back by a release with a delay (delayMs)."""
    return sa.or_(hidden_until.is_(None), hidden_until <= now)


def lapsed(expires_at: sa.ColumnElement[Any], now: Any) -> ColumnElement[bool]:
    """SQL: a lease that ran out (what the reaper releases). NULL expiry never lapses."""
    return expires_at < now


def unheld(expires_at: sa.ColumnElement[Any], now: Any) -> ColumnElement[bool]:
    """SQL, for a lease marked by its expiry alone (a callback delivery's attempt, whose
    number is the lease token): none was taken, or it lapsed."""
    return sa.or_(expires_at.is_(None), lapsed(expires_at, now))


def granted_ms(requested: int | None, settings: Settings) -> int:
    """The lease a claim gets: the requested length (the default when none), at most the maximum."""
    return min(requested or settings.default_lease_ms, settings.max_lease_ms)
