from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.send_message_kind import check_send_message_kind
from ..models.send_message_kind import SendMessageKind
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.send_message_meta_type_0 import SendMessageMetaType0
  from ..models.send_message_payload_type_0 import SendMessagePayloadType0





T = TypeVar("T", bound="SendMessage")



@_attrs_define
class SendMessage:
    

    body: str
    to: str
    """ An agent id, `label:X`, `tag:X`, `cap:X`, or `broadcast` """
    channel: None | str | Unset = UNSET
    claimable: bool | None | Unset = UNSET
    epoch: int | None | Unset = UNSET
    from_: None | str | Unset = UNSET
    """ Required, except with an agent token: its own agent by default """
    idempotency_key: None | str | Unset = UNSET
    instance_id: None | str | Unset = UNSET
    kind: SendMessageKind | Unset = UNSET
    """ Default: `"chat"`. """
    max_deliveries: int | None | Unset = UNSET
    """ Claimable messages: claims granted before a lapse or release dead-letters it (default
    AGENT_RELAY_MAX_DELIVERIES) """
    meta: None | SendMessageMetaType0 | Unset = UNSET
    payload: None | SendMessagePayloadType0 | Unset = UNSET
    reply_to: int | None | Unset = UNSET
    subject: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.send_message_meta_type_0 import SendMessageMetaType0 # noqa: PLC0415
        from ..models.send_message_payload_type_0 import SendMessagePayloadType0 # noqa: PLC0415
        body = self.body

        to = self.to

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        claimable: bool | None | Unset
        if isinstance(self.claimable, Unset):
            claimable = UNSET
        else:
            claimable = self.claimable

        epoch: int | None | Unset
        if isinstance(self.epoch, Unset):
            epoch = UNSET
        else:
            epoch = self.epoch

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        else:
            from_ = self.from_

        idempotency_key: None | str | Unset
        if isinstance(self.idempotency_key, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = self.idempotency_key

        instance_id: None | str | Unset
        if isinstance(self.instance_id, Unset):
            instance_id = UNSET
        else:
            instance_id = self.instance_id

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind


        max_deliveries: int | None | Unset
        if isinstance(self.max_deliveries, Unset):
            max_deliveries = UNSET
        else:
            max_deliveries = self.max_deliveries

        meta: dict[str, Any] | None | Unset
        if isinstance(self.meta, Unset):
            meta = UNSET
        elif isinstance(self.meta, SendMessageMetaType0):
            meta = self.meta.to_dict()
        else:
            meta = self.meta

        payload: dict[str, Any] | None | Unset
        if isinstance(self.payload, Unset):
            payload = UNSET
        elif isinstance(self.payload, SendMessagePayloadType0):
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


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "to": to,
        })
        if channel is not UNSET:
            field_dict["channel"] = channel
        if claimable is not UNSET:
            field_dict["claimable"] = claimable
        if epoch is not UNSET:
            field_dict["epoch"] = epoch
        if from_ is not UNSET:
            field_dict["from"] = from_
        if idempotency_key is not UNSET:
            field_dict["idempotencyKey"] = idempotency_key
        if instance_id is not UNSET:
            field_dict["instanceId"] = instance_id
        if kind is not UNSET:
            field_dict["kind"] = kind
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

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.send_message_meta_type_0 import SendMessageMetaType0 # noqa: PLC0415
        from ..models.send_message_payload_type_0 import SendMessagePayloadType0 # noqa: PLC0415
        d = dict(src_dict)
        body = d.pop("body")

        to = d.pop("to")

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))


        def _parse_claimable(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        claimable = _parse_claimable(d.pop("claimable", UNSET))


        def _parse_epoch(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        epoch = _parse_epoch(d.pop("epoch", UNSET))


        def _parse_from_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))


        def _parse_idempotency_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        idempotency_key = _parse_idempotency_key(d.pop("idempotencyKey", UNSET))


        def _parse_instance_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance_id = _parse_instance_id(d.pop("instanceId", UNSET))


        _kind = d.pop("kind", UNSET)
        kind: SendMessageKind | Unset
        if isinstance(_kind,  Unset):
            kind = UNSET
        else:
            kind = check_send_message_kind(_kind)




        def _parse_max_deliveries(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_deliveries = _parse_max_deliveries(d.pop("maxDeliveries", UNSET))


        def _parse_meta(data: object) -> None | SendMessageMetaType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                meta_type_0 = SendMessageMetaType0.from_dict(data)



                return meta_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SendMessageMetaType0 | Unset, data)

        meta = _parse_meta(d.pop("meta", UNSET))


        def _parse_payload(data: object) -> None | SendMessagePayloadType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_type_0 = SendMessagePayloadType0.from_dict(data)



                return payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SendMessagePayloadType0 | Unset, data)

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


        send_message = cls(
            body=body,
            to=to,
            channel=channel,
            claimable=claimable,
            epoch=epoch,
            from_=from_,
            idempotency_key=idempotency_key,
            instance_id=instance_id,
            kind=kind,
            max_deliveries=max_deliveries,
            meta=meta,
            payload=payload,
            reply_to=reply_to,
            subject=subject,
        )


        send_message.additional_properties = d
        return send_message

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
