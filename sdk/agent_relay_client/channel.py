"""ChannelConnector: the relay side of a chat bridge (Slack, Telegram, Discord, a webhook).

A bridge process does four things, and this helper does the relay half of each:

1. **Be a channel agent.** `start()` registers `kind: "channel"` with `meta.channelType` /
   `meta.accountId`, a fresh `instanceId` and a rising `epoch`, and heartbeats in the
   background (it is a `RelayAgent` underneath). Every guarded call (events, activities,
   bindings, inbox, acks) carries that session in `X-Agent-Instance-Id` / `X-Agent-Epoch`.
2. **Post what happens on the platform.** `inbound_message(...)` / `typing(...)` build
   `agent-relay.channel.v1` envelopes that pass the relay's checks
   (server/agent_relay/channels/envelope.py); `post_event` / `post_activity` send them;
   `upload_blob` + `blob_attachment` / `external_attachment` carry files.
3. **Route.** `bind` / `unbind` / `bindings` / `routes` manage which agents get the events.
4. **Deliver the agents' answers.** Replies are plain relay messages addressed to the
   channel agent. `serve(handler)` receives them (inbox long-poll, or SSE with
   Last-Event-ID resume) and acks each one only after `handler(reply)` returned, so a
   crash or a failing platform call means the reply is delivered again (at least once).

    with ChannelConnector("slack", "T123") as channel:
        channel.bind("label:support", mode="claimable")
        channel.post_event(channel.inbound_message("C1", "hello", "U1"))
        channel.serve(lambda reply: slack.post(reply.conversation_id, reply.text))
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Literal, ParamSpec, TypeVar

import httpx

from agent_relay_client._generated.models import AgentCard, MessageOut
from agent_relay_client._generated.types import File
from agent_relay_client.agent import RelayAgent
from agent_relay_client.errors import RelayError, SessionSupersededError
from agent_relay_client.events import RelayEvent

log = logging.getLogger("agent_relay_client.channel")

CHANNEL_SCHEMA = "agent-relay.channel.v1"
EPHEMERAL_EVENT_TYPES = frozenset(
    {"typing.started", "typing.stopped", "message.read", "message.delivered", "presence.updated"}
)


@dataclass(frozen=True)
class ChannelReply:
    """A relay message addressed to the channel agent: what the bridge should post."""

    message: dict[str, Any]  # the message as the relay sends it (wire fields)
    conversation_id: str | None  # where it goes on the platform (None: not known)
    in_reply_to: dict[str, Any] | None = None  # the channel.event message it answers, if any
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.message["id"])

    @property
    def text(self) -> str:
        return str(self.message.get("body") or "")

    @property
    def sender(self) -> str:
        return str(self.message.get("from") or "")


ReplyHandler = Callable[[ChannelReply], Any]
P = ParamSpec("P")
T = TypeVar("T")


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _object(value: Any) -> dict[str, Any]:
    """A JSON object field, or {} when it is missing or not an object."""
    return value if isinstance(value, dict) else {}


def _wire(message: MessageOut | Mapping[str, Any]) -> dict[str, Any]:
    return dict(message) if isinstance(message, Mapping) else message.to_dict()


def blob_attachment(
    blob: str | Mapping[str, Any],
    *,
    name: str | None = None,
    content_type: str | None = None,
    size: int | None = None,
) -> dict[str, Any]:
    """An attachment referring to a blob stored with `upload_blob` (its answer or its id)."""
    if isinstance(blob, Mapping):
        content_type = content_type or blob.get("contentType")
        size = size if size is not None else blob.get("size")
        blob = str(blob["id"])
    return _clean(
        {"ref": {"type": "relay-blob", "id": blob}, "name": name, "contentType": content_type, "size": size}
    )


def external_attachment(
    url: str, *, name: str | None = None, content_type: str | None = None
) -> dict[str, Any]:
    """An attachment the agents fetch from a URL (the platform's CDN, a public link)."""
    return _clean({"ref": {"type": "external-url", "url": url}, "name": name, "contentType": content_type})


def channel_file_attachment(
    file_id: str, *, name: str | None = None, content_type: str | None = None
) -> dict[str, Any]:
    """An attachment only the bridge can resolve (a platform file id)."""
    return _clean({"ref": {"type": "channel-file", "id": file_id}, "name": name, "contentType": content_type})


class ChannelConnector:
    """One running bridge process for one channel account. Sync; thread-safe calls."""

    def __init__(
        self,
        channel_type: str,
        account_id: str,
        *,
        agent_id: str | None = None,
        name: str | None = None,
        channel_id: str | None = None,
        url: str | None = None,
        token: str | None = None,
        heartbeat_interval: float = 30.0,
        meta: Mapping[str, Any] | None = None,
        label: str | None = None,
        tags: list[str] | None = None,
        capabilities: list[str] | None = None,
    ) -> None:
        """`agent_id` defaults to `<channel_type>:<account_id>`. `channel_id` (a
        `meta.channelId`) is only needed when the channel's id must differ from its agent's.
        `label`, `tags`, `capabilities` and `meta` go on the channel agent's card."""
        self.channel_type = channel_type
        self.account_id = account_id
        self.agent_id = agent_id or f"{channel_type}:{account_id}"
        self.channel_id = channel_id or self.agent_id
        card_meta = {**(meta or {}), "channelType": channel_type, "accountId": account_id}
        if channel_id:
            card_meta["channelId"] = channel_id
        self.agent = RelayAgent(
            self.agent_id,
            name or f"{channel_type} {account_id}",
            url=url,
            token=token,
            heartbeat_interval=heartbeat_interval,
            kind="channel",
            meta=card_meta,
            label=label,
            tags=tags,
            capabilities=capabilities,
        )
        self.client = self.agent.client
        self._stop = threading.Event()
        self._closed = False
        self._origins: dict[int, dict[str, Any] | None] = {}
        self.last_event_id: int | None = None  # SSE resume point of serve(mode="sse")

    # -- lifecycle ------------------------------------------------------------------
    @property
    def instance_id(self) -> str:
        return self.agent.instance_id

    @property
    def epoch(self) -> int:
        return self.agent.epoch

    @property
    def session_headers(self) -> dict[str, str]:
        return self.agent.session_headers

    @property
    def running(self) -> bool:
        return not self._stop.is_set() and self.agent.running

    def start(self) -> AgentCard:
        """Register the channel agent (new session) and start heartbeating."""
        self._stop.clear()
        return self.agent.start()

    def stop(self) -> None:
        """Stop serving and heartbeating; the channel agent goes offline. Idempotent; a
        stopped connector is not started again (make a new one: a new session)."""
        self._stop.set()
        if not self._closed:
            self._closed = True
            self.agent.stop()

    def __enter__(self) -> ChannelConnector:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- calls ----------------------------------------------------------------------------
    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """A relay route by path (for one the spec does not describe; the rest are typed
        methods of `self.client`), with the session headers; SessionSupersededError stops
        this connector."""
        return self._guarded(self.client.request, method, path, **kwargs)

    def _guarded(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Call the typed client; SessionSupersededError stops this connector."""
        try:
            return fn(*args, **kwargs)
        except SessionSupersededError:
            self.agent._mark_superseded()
            self._stop.set()
            raise

    # -- envelopes --------------------------------------------------------------------
    def envelope(
        self,
        event_type: str,
        conversation_id: str,
        actor_id: str,
        *,
        direction: Literal["inbound", "outbound"] = "inbound",
        conversation_type: str = "channel",
        actor_kind: str = "user",
        actor_name: str | None = None,
        thread_id: str | None = None,
        message: Mapping[str, Any] | None = None,
        attachments: list[Mapping[str, Any]] | None = None,
        activity: Mapping[str, Any] | None = None,
        dedupe_key: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Any `agent-relay.channel.v1` envelope for this channel; `extra` adds top-level
        fields (reaction, interaction, raw, …)."""
        return _clean(
            {
                "schema": CHANNEL_SCHEMA,
                "channel": {
                    "provider": self.channel_type,
                    "accountId": self.account_id,
                    "agentId": self.agent_id,
                },
                "direction": direction,
                "conversation": _clean(
                    {"id": conversation_id, "type": conversation_type, "threadId": thread_id}
                ),
                "actor": _clean({"id": actor_id, "kind": actor_kind, "name": actor_name}),
                "event": {"type": event_type},
                "message": dict(message) if message is not None else None,
                "attachments": [dict(a) for a in attachments] if attachments is not None else None,
                "activity": dict(activity) if activity is not None else None,
                "dedupe": {"key": dedupe_key} if dedupe_key else None,
                **extra,
            }
        )

    def inbound_message(
        self,
        conversation_id: str,
        text: str,
        actor_id: str,
        *,
        actor_name: str | None = None,
        actor_kind: str = "user",
        conversation_type: str = "channel",
        thread_id: str | None = None,
        message_id: str | None = None,
        attachments: list[Mapping[str, Any]] | None = None,
        dedupe_key: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A `message.created` envelope. The platform's `message_id` doubles as the dedupe
        key (so a webhook retried by the platform is stored once) unless one is given."""
        return self.envelope(
            "message.created",
            conversation_id,
            actor_id,
            actor_name=actor_name,
            actor_kind=actor_kind,
            conversation_type=conversation_type,
            thread_id=thread_id,
            message=_clean({"id": message_id, "text": text}),
            attachments=attachments,
            dedupe_key=dedupe_key or (f"{self.channel_type}:{message_id}" if message_id else None),
            **extra,
        )

    def typing(
        self,
        conversation_id: str,
        actor_id: str,
        started: bool = True,
        *,
        actor_kind: str = "user",
        conversation_type: str = "channel",
        **extra: Any,
    ) -> dict[str, Any]:
        """A typing indicator, for `post_activity` (never stored by the relay)."""
        state = "started" if started else "stopped"
        return self.envelope(
            f"typing.{state}",
            conversation_id,
            actor_id,
            actor_kind=actor_kind,
            conversation_type=conversation_type,
            activity={"type": "typing", "state": state},
            **extra,
        )

    blob_attachment = staticmethod(blob_attachment)
    external_attachment = staticmethod(external_attachment)
    channel_file_attachment = staticmethod(channel_file_attachment)

    # -- blobs, events, activities --------------------------------------------------------
    def upload_blob(
        self, data: bytes | IO[bytes] | Iterator[bytes], content_type: str = "application/octet-stream"
    ) -> dict[str, Any]:
        """Store bytes for a `relay-blob` ref: `{id, sha256, size, contentType, …}`."""
        if isinstance(data, bytes):
            content = data
        elif hasattr(data, "read"):
            content = data.read()
        else:
            content = b"".join(data)
        blob = File(payload=io.BytesIO(content), mime_type=content_type)
        return self._guarded(self.client.upload_blob, body=blob).to_dict()

    def download_blob(self, blob_id: str) -> bytes:
        return self._guarded(self.client.download_blob, blob_id)

    def post_event(
        self, envelope: Mapping[str, Any], *, idempotency_key: str | None = None, body: str | None = None
    ) -> dict[str, Any]:
        """Post a stored event: `{messages, bindings, created}` (one message per chosen
        binding). 409 "channel has no binding" when nothing is bound."""
        payload = _clean({"payload": dict(envelope), "idempotencyKey": idempotency_key, "body": body})
        return self._guarded(self.client.post_channel_event, self.channel_id, body=payload).to_dict()

    def post_activity(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """Post ephemeral activity (typing, read, presence): pushed to SSE, never stored."""
        body = {"payload": dict(envelope)}
        return self._guarded(self.client.post_channel_activity, self.channel_id, body=body).to_dict()

    # -- bindings ---------------------------------------------------------------------
    def bind(
        self,
        target: str | Mapping[str, Any],
        *,
        conversation_id: str | None = None,
        mode: Literal["exclusive", "claimable", "broadcast"] = "exclusive",
        priority: int | None = None,
    ) -> dict[str, Any]:
        """Bind this channel (or one conversation) to an agent id, `label:X`, `tag:X`,
        `cap:X`, `broadcast` or `{type, id}`. The same channel/conversation/target updates."""
        body = _clean(
            {
                "channelId": self.channel_id,
                "target": target if isinstance(target, str) else dict(target),
                "conversationId": conversation_id,
                "mode": mode,
                "priority": priority,
            }
        )
        return self._guarded(self.client.bind_channel, body=body).to_dict()

    def unbind(self, binding_id: int) -> dict[str, Any]:
        return self._guarded(self.client.unbind_channel, int(binding_id)).to_dict()

    def bindings(self) -> list[dict[str, Any]]:
        found = self._guarded(self.client.list_channel_bindings, channel_id=self.channel_id)
        return [b.to_dict() for b in found]

    def routes(self, conversation_id: str | None = None) -> dict[str, Any]:
        """Which bindings an event of this conversation would reach, and why."""
        answer = self._guarded(
            self.client.explain_channel_routes, self.channel_id, conversation_id=conversation_id
        )
        return answer.to_dict()

    # -- outbound replies ---------------------------------------------------------------
    def reply_for(self, message: MessageOut | Mapping[str, Any]) -> ChannelReply:
        """Work out where a message to the channel agent goes: its own
        `payload.conversation.id` / `meta.conversationId`, else the conversation of the
        channel event it replies to (`replyTo`)."""
        wire = _wire(message)
        payload = _object(wire.get("payload"))
        meta = _object(wire.get("meta"))
        origin = self._origin(wire.get("replyTo"))
        conversation = _object(payload.get("conversation"))
        conversation_id = conversation.get("id") or meta.get("conversationId")
        if not conversation_id and origin is not None:
            conversation_id = _object(_object(origin.get("payload")).get("conversation")).get("id")
        found = payload.get("attachments")
        attachments: list[Any] = found if isinstance(found, list) else []
        return ChannelReply(wire, conversation_id, origin, [a for a in attachments if isinstance(a, dict)])

    def _origin(self, reply_to: Any) -> dict[str, Any] | None:
        if not isinstance(reply_to, int):
            return None
        if reply_to not in self._origins:
            try:
                self._origins[reply_to] = self._guarded(self.client.get_message, reply_to).to_dict()
            except RelayError as exc:
                if exc.status != 404:
                    raise
                self._origins[reply_to] = None
            if len(self._origins) > 10_000:
                self._origins.pop(next(iter(self._origins)))
        return self._origins[reply_to]

    def ack(self, message: ChannelReply | MessageOut | int) -> None:
        message_id = message if isinstance(message, int) else message.id
        self.agent.ack(message_id)

    def serve(
        self,
        handler: ReplyHandler,
        *,
        mode: Literal["inbox", "sse"] = "inbox",
        wait: float = 25.0,
        retry_delay: float = 1.0,
        max_attempts: int = 0,
    ) -> None:
        """Hand each reply to `handler` and ack it once the handler returns; until
        `stop()` or a superseded session. A handler that raises leaves the reply unacked
        and it is tried again after `retry_delay` (doubling, capped at 30 s), in order;
        with `max_attempts` > 0 it is given up (left unacked, logged) after that many tries.

        mode "inbox": long-polls the unread inbox (`wait` s per poll); after a restart it
        starts with whatever is still unacked. mode "sse": follows the event stream with
        Last-Event-ID resume (`last_event_id`), starting with the unacked backlog."""
        if mode == "sse":
            self._serve_sse(handler, retry_delay, max_attempts)
        else:
            self._serve_inbox(handler, wait, retry_delay, max_attempts)

    def serve_in_background(self, handler: ReplyHandler, **kwargs: Any) -> threading.Thread:
        thread = threading.Thread(
            target=self.serve, args=(handler,), kwargs=kwargs, name=f"channel-{self.agent_id}", daemon=True
        )
        thread.start()
        return thread

    def _deliver(
        self,
        message: MessageOut | Mapping[str, Any],
        handler: ReplyHandler,
        retry_delay: float,
        max_attempts: int,
    ) -> bool:
        """Run the handler until it succeeds (then ack); False if stopped or given up."""
        attempt = 0
        delay = retry_delay
        while self.running:
            attempt += 1
            try:
                reply = self.reply_for(message)
                handler(reply)
            except SessionSupersededError:
                return False
            except Exception as exc:  # the platform call failed: try again later
                if max_attempts and attempt >= max_attempts:
                    log.error(
                        "channel %s: giving up on message %s after %d attempts: %s",
                        self.agent_id,
                        _wire(message).get("id"),
                        attempt,
                        exc,
                    )
                    return False
                log.warning(
                    "channel %s: delivering message %s failed (%s); retrying in %.1fs",
                    self.agent_id,
                    _wire(message).get("id"),
                    exc,
                    delay,
                )
                self._stop.wait(delay)
                delay = min(delay * 2, 30.0)
                continue
            try:
                self.ack(reply)
            except SessionSupersededError:
                return False
            except RelayError as exc:  # delivered but not acked: it may come again after a restart
                log.warning("channel %s: ack of message %s failed: %s", self.agent_id, reply.id, exc)
            return True
        return False

    def _serve_inbox(self, handler: ReplyHandler, wait: float, retry_delay: float, max_attempts: int) -> None:
        cursor = 0
        while self.running:
            try:
                items = self._guarded(self.client.inbox, self.agent_id, wait=wait, after=cursor, unread=True)
            except SessionSupersededError:
                return
            except RelayError as exc:
                log.warning("channel %s: inbox poll failed: %s", self.agent_id, exc)
                self._stop.wait(retry_delay)
                continue
            for message in items:
                if not self.running:
                    return
                self._deliver(message, handler, retry_delay, max_attempts)
                cursor = max(cursor, message.id)

    def _serve_sse(self, handler: ReplyHandler, retry_delay: float, max_attempts: int) -> None:
        """Follow the SDK's one resumable event stream (Last-Event-ID, backoff); after every
        (re)connect drain the unacked inbox first, then deliver `message.new` events to the
        channel agent. Draining after each connect closes any gap: what was missed is unacked."""
        sse_http = self.client.stream_client()  # closed on stop() to end a blocked read
        stopper = threading.Thread(target=self._close_on_stop, args=(sse_http,), daemon=True)
        stopper.start()
        done: set[int] = set()

        def drain_backlog() -> None:
            for message in self._guarded(self.client.inbox, self.agent_id, unread=True, limit=1000):
                if not self.running:
                    return
                if message.id not in done and self._deliver(message, handler, retry_delay, max_attempts):
                    done.add(message.id)

        def lost(exc: Exception | None) -> None:
            if self.running:
                log.warning("channel %s: event stream lost (%s); reconnecting", self.agent_id, exc)

        stream = self.client.events(
            agent_id=self.agent_id,
            last_event_id=self.last_event_id,
            reconnect_delay=retry_delay,
            on_connect=drain_backlog,
            on_disconnect=lost,
            wait=self._stop.wait,
            http=sse_http,
        )
        try:
            for event in stream:
                if not self.running:
                    return
                if event.id is not None:
                    self.last_event_id = event.id
                self._on_event(event, done, handler, retry_delay, max_attempts)
        except SessionSupersededError:
            return
        except (httpx.HTTPError, RuntimeError) as exc:  # the stream's client was closed by stop()
            if self.running:
                raise RelayError(0, f"channel {self.agent_id}: event stream failed: {exc!r}") from exc
        finally:
            sse_http.close()

    def _on_event(
        self, event: RelayEvent, done: set[int], handler: ReplyHandler, retry_delay: float, max_attempts: int
    ) -> None:
        data = event.data
        if event.event != "message.new" or not isinstance(data, dict) or data.get("to") != self.agent_id:
            return
        if data.get("id") in done:
            return
        if self._deliver(data, handler, retry_delay, max_attempts):
            done.add(int(data["id"]))
        if len(done) > 10_000:
            done.clear()

    def _close_on_stop(self, http: httpx.Client) -> None:
        self._stop.wait()
        # Unblocks the stream read; the server's heartbeats would otherwise end it later.
        with contextlib.suppress(Exception):
            http.close()


__all__ = [
    "CHANNEL_SCHEMA",
    "ChannelConnector",
    "ChannelReply",
    "blob_attachment",
    "channel_file_attachment",
    "external_attachment",
]
