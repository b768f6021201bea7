from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.message_out_kind import check_message_out_kind
from ..models.message_out_kind import MessageOutKind
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.message_out_meta_type_0 import MessageOutMetaType0
  from ..models.message_out_payload_type_0 import MessageOutPayloadType0





T = TypeVar("T", bound="MessageOut")



@_attrs_define
class MessageOut:
    

    body: str
    claimable: bool
    created_at: int
    from_: str
    id: int
    kind: MessageOutKind
    to: str
    channel: None | str | Unset = UNSET
    claim_expires_at: int | None | Unset = UNSET
    claimed_by: None | str | Unset = UNSET
    completed_at: int | None | Unset = UNSET
    completed_by: None | str | Unset = UNSET
    dead_lettered_at: int | None | Unset = UNSET
    delivery_count: int | Unset = 0
    hidden_until: int | None | Unset = UNSET
    idempotency_key: None | str | Unset = UNSET
    max_deliveries: int | None | Unset = UNSET
    meta: MessageOutMetaType0 | None | Unset = UNSET
    payload: MessageOutPayloadType0 | None | Unset = UNSET
    reply_to: int | None | Unset = UNSET
    subject: None | str | Unset = UNSET
    traceparent: None | str | Unset = UNSET
    """ The W3C `traceparent` header the send came with (invalid ones are ignored); passed on to webhooks and
    spawned processes """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.message_out_meta_type_0 import MessageOutMetaType0 # noqa: PLC0415
        from ..models.message_out_payload_type_0 import MessageOutPayloadType0 # noqa: PLC0415
        body = self.body

        claimable = self.claimable

        created_at = self.created_at

        from_ = self.from_

        id = self.id

        kind: str = self.kind

        to = self.to

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        claim_expires_at: int | None | Unset
        if isinstance(self.claim_expires_at, Unset):
            claim_expires_at = UNSET
        else:
            claim_expires_at = self.claim_expires_at

        claimed_by: None | str | Unset
        if isinstance(self.claimed_by, Unset):
            claimed_by = UNSET
        else:
            claimed_by = self.claimed_by

        completed_at: int | None | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = self.completed_at

        completed_by: None | str | Unset
        if isinstance(self.completed_by, Unset):
            completed_by = UNSET
        else:
            completed_by = self.completed_by

        dead_lettered_at: int | None | Unset
        if isinstance(self.dead_lettered_at, Unset):
            dead_lettered_at = UNSET
        else:
            dead_lettered_at = self.dead_lettered_at

        delivery_count = self.delivery_count

        hidden_until: int | None | Unset
        if isinstance(self.hidden_until, Unset):
            hidden_until = UNSET
        else:
            hidden_until = self.hidden_until

        idempotency_key: None | str | Unset
        if isinstance(self.idempotency_key, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = self.idempotency_key

        max_deliveries: int | None | Unset
        if isinstance(self.max_deliveries, Unset):
            max_deliveries = UNSET
        else:
            max_deliveries = self.max_deliveries

        meta: dict[str, Any] | None | Unset
        if isinstance(self.meta, Unset):
            meta = UNSET
        elif isinstance(self.meta, MessageOutMetaType0):
            meta = self.meta.to_dict()
        else:
            meta = self.meta

        payload: dict[str, Any] | None | Unset
        if isinstance(self.payload, Unset):
            payload = UNSET
        elif isinstance(self.payload, MessageOutPayloadType0):
            payload = self.payload.to_dict()
        else:
            payload = self.payload

        reply_to: int | None | Unset
        if isinstance(self.reply_to, Unset):
            reply_to = UNSET
        else:
            reply_to = self.reply_to

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        traceparent: None | str | Unset
        if isinstance(self.traceparent, Unset):
            traceparent = UNSET
        else:
            traceparent = self.traceparent


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "claimable": claimable,
            "createdAt": created_at,
            "from": from_,
            "id": id,
            "kind": kind,
            "to": to,
        })
        if channel is not UNSET:
            field_dict["channel"] = channel
        if claim_expires_at is not UNSET:
            field_dict["claimExpiresAt"] = claim_expires_at
        if claimed_by is not UNSET:
            field_dict["claimedBy"] = claimed_by
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at
        if completed_by is not UNSET:
            field_dict["completedBy"] = completed_by
        if dead_lettered_at is not UNSET:
            field_dict["deadLetteredAt"] = dead_lettered_at
        if delivery_count is not UNSET:
            field_dict["deliveryCount"] = delivery_count
        if hidden_until is not UNSET:
            field_dict["hiddenUntil"] = hidden_until
        if idempotency_key is not UNSET:
            field_dict["idempotencyKey"] = idempotency_key
        if max_deliveries is not UNSET:
            field_dict["maxDeliveries"] = max_deliveries
        if meta is not UNSET:
            field_dict["meta"] = meta
        if payload is not UNSET:
            field_dict["payload"] = payload
        if reply_to is not UNSET:
            field_dict["replyTo"] = reply_to
        if subject is not UNSET:
            field_dict["subject"] = subject
        if traceparent is not UNSET:
            field_dict["traceparent"] = traceparent

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_out_meta_type_0 import MessageOutMetaType0 # noqa: PLC0415
        from ..models.message_out_payload_type_0 import MessageOutPayloadType0 # noqa: PLC0415
        d = dict(src_dict)
        body = d.pop("body")

        claimable = d.pop("claimable")

        created_at = d.pop("createdAt")

        from_ = d.pop("from")

        id = d.pop("id")

        kind = check_message_out_kind(d.pop("kind"))




        to = d.pop("to")

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))


        def _parse_claim_expires_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        claim_expires_at = _parse_claim_expires_at(d.pop("claimExpiresAt", UNSET))


        def _parse_claimed_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        claimed_by = _parse_claimed_by(d.pop("claimedBy", UNSET))


        def _parse_completed_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completedAt", UNSET))


        def _parse_completed_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        completed_by = _parse_completed_by(d.pop("completedBy", UNSET))


        def _parse_dead_lettered_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        dead_lettered_at = _parse_dead_lettered_at(d.pop("deadLetteredAt", UNSET))


        delivery_count = d.pop("deliveryCount", UNSET)

        def _parse_hidden_until(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        hidden_until = _parse_hidden_until(d.pop("hiddenUntil", UNSET))


        def _parse_idempotency_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        idempotency_key = _parse_idempotency_key(d.pop("idempotencyKey", UNSET))


        def _parse_max_deliveries(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_deliveries = _parse_max_deliveries(d.pop("maxDeliveries", UNSET))


        def _parse_meta(data: object) -> MessageOutMetaType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                meta_type_0 = MessageOutMetaType0.from_dict(data)



                return meta_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MessageOutMetaType0 | None | Unset, data)

        meta = _parse_meta(d.pop("meta", UNSET))


        def _parse_payload(data: object) -> MessageOutPayloadType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_type_0 = MessageOutPayloadType0.from_dict(data)



                return payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MessageOutPayloadType0 | None | Unset, data)

        payload = _parse_payload(d.pop("payload", UNSET))


        def _parse_reply_to(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        reply_to = _parse_reply_to(d.pop("replyTo", UNSET))


        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))


        def _parse_traceparent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        traceparent = _parse_traceparent(d.pop("traceparent", UNSET))


        message_out = cls(
            body=body,
            claimable=claimable,
            created_at=created_at,
            from_=from_,
            id=id,
            kind=kind,
            to=to,
            channel=channel,
            claim_expires_at=claim_expires_at,
            claimed_by=claimed_by,
            completed_at=completed_at,
            completed_by=completed_by,
            dead_lettered_at=dead_lettered_at,
            delivery_count=delivery_count,
            hidden_until=hidden_until,
            idempotency_key=idempotency_key,
            max_deliveries=max_deliveries,
            meta=meta,
            payload=payload,
            reply_to=reply_to,
            subject=subject,
            traceparent=traceparent,
        )


        message_out.additional_properties = d
        return message_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
