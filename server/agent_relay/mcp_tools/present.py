"""What an LLM reads: short text with who, when, subject, body and the ids to act on, and the
compact structured form that goes alongside it. No rules here, only words."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

MAX_BODY_CHARS = 4000  # per message in the text; the structured content has the whole body
MESSAGE_FIELDS = (
    "id",
    "from",
    "to",
    "kind",
    "subject",
    "body",
    "replyTo",
    "claimable",
    "claimedBy",
    "claimExpiresAt",
    "completedBy",
    "completedAt",
    "deadLetteredAt",
    "createdAt",
)
AGENT_FIELDS = ("id", "name", "kind", "status", "ready", "label", "tags", "capabilities", "lastSeen")


def when(ms: Any) -> str:
    if not isinstance(ms, int):
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(ms / 1000))


def ago(ms: Any, now_ms: int) -> str:
    if not isinstance(ms, int):
        return "never"
    seconds = max(0, (now_ms - ms) // 1000)
    if seconds < 60:
        return f"{seconds}s ago"
    if seconds < 3600:
        return f"{seconds // 60}m ago"
    if seconds < 86400:
        return f"{seconds // 3600}h ago"
    return f"{seconds // 86400}d ago"


def message_data(m: Mapping[str, Any]) -> dict[str, Any]:
    return {k: m[k] for k in MESSAGE_FIELDS if m.get(k) is not None}


def agent_data(a: Mapping[str, Any]) -> dict[str, Any]:
    return {k: a[k] for k in AGENT_FIELDS if a.get(k) not in (None, [], "")}


def _state(m: Mapping[str, Any], me: str | None, now_ms: int) -> str:
    if m.get("deadLetteredAt"):
        return "dead-lettered"
    if m.get("completedAt"):
        return f"completed by {m.get('completedBy')}"
    if not m.get("claimable"):
        return ""
    holder, expires = m.get("claimedBy"), m.get("claimExpiresAt")
    if holder and (expires is None or expires >= now_ms):
        who = "you" if holder == me else holder
        return f"claimed by {who} until {when(expires)}"
    return "claimable, unclaimed: claim_message before working on it"


def message(m: Mapping[str, Any], me: str | None, now_ms: int) -> str:
    """`#42 from alice to bob, 2026-11-27 22:31:05 UTC, task (claimable …), reply to #40`,
    then the subject and the body."""
    head = f"#{m['id']} from {m['from']} to {m['to']}, {when(m.get('createdAt'))}"
    if m.get("kind") != "chat":
        head += f", {m.get('kind')}"
    state = _state(m, me, now_ms)
    if state:
        head += f" ({state})"
    if m.get("replyTo"):
        head += f", reply to #{m['replyTo']}"
    lines = [head]
    if m.get("subject"):
        lines.append(f"Subject: {m['subject']}")
    body = str(m.get("body") or "")
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS] + f"\n[... {len(body) - MAX_BODY_CHARS} more characters]"
    lines.append(body)
    return "\n".join(lines)


def messages(items: Sequence[Mapping[str, Any]], me: str | None, now_ms: int) -> str:
    return "\n\n".join(message(m, me, now_ms) for m in items)


def agent(a: Mapping[str, Any], now_ms: int) -> str:
    """`worker-1 (Worker One): online, label workers, tags a,b, caps review; seen 3s ago`"""
    name = f" ({a['name']})" if a.get("name") and a.get("name") != a.get("id") else ""
    parts = [f"{a.get('status')}" + ("" if a.get("ready", True) else ", not ready")]
    if a.get("label"):
        parts.append(f"label {a['label']}")
    if a.get("tags"):
        parts.append("tags " + ",".join(a["tags"]))
    if a.get("capabilities"):
        parts.append("caps " + ",".join(a["capabilities"]))
    if a.get("kind") and a.get("kind") != "provider":
        parts.append(f"kind {a['kind']}")
    return f"{a['id']}{name}: {', '.join(parts)}; seen {ago(a.get('lastSeen'), now_ms)}"


def unread_line(count: int, capped: bool) -> str:
    """The one line a result carries while unread messages wait (contract §16)."""
    number = f"{count}+" if capped else str(count)
    noun = "message" if count == 1 and not capped else "messages"
    return f"{number} unread {noun}: call check_inbox"
