from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.post_channel_activity_body_payload import PostChannelActivityBodyPayload





T = TypeVar("T", bound="PostChannelActivityBody")



@_attrs_define
class PostChannelActivityBody:
    """ `{payload, body?, conversationId?, idempotencyKey?}`, or the payload itself

        Example:
            {'epoch': 1, 'instanceId': 'i-1', 'payload': {'actor': {'id': 'U7', 'kind': 'user'}, 'channel': {'accountId':
                'T123', 'agentId': 'slack:T123', 'provider': 'slack'}, 'conversation': {'id': 'C42', 'type': 'channel'},
                'dedupe': {'key': 'slack-evt-1'}, 'direction': 'inbound', 'event': {'type': 'message.created'}, 'message':
                {'text': 'deploy is red'}, 'schema': 'agent-relay.channel.v1'}}

     """

    body: str | Unset = UNSET
    conversation_id: str | Unset = UNSET
    epoch: int | Unset = UNSET
    """ Session guard (or X-Agent-Epoch) """
    idempotency_key: str | Unset = UNSET
    instance_id: str | Unset = UNSET
    """ Session guard (or X-Agent-Instance-Id) """
    payload: PostChannelActivityBodyPayload | Unset = UNSET
    """ An agent-relay.channel.v1 envelope: schema, channel{provider, accountId, agentId}, direction,
    conversation{id, type}, actor{id, kind}, event{type}, and message / attachments / reaction / interaction
    (events) or activity (activities) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.post_channel_activity_body_payload import PostChannelActivityBodyPayload # noqa: PLC0415
        body = self.body

        conversation_id = self.conversation_id

        epoch = self.epoch

        idempotency_key = self.idempotency_key

        instance_id = self.instance_id

        payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if body is not UNSET:
            field_dict["body"] = body
        if conversation_id is not UNSET:
            field_dict["conversationId"] = conversation_id
        if epoch is not UNSET:
            field_dict["epoch"] = epoch
        if idempotency_key is not UNSET:
            field_dict["idempotencyKey"] = idempotency_key
        if instance_id is not UNSET:
            field_dict["instanceId"] = instance_id
        if payload is not UNSET:
            field_dict["payload"] = payload

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.post_channel_activity_body_payload import PostChannelActivityBodyPayload # noqa: PLC0415
        d = dict(src_dict)
        body = d.pop("body", UNSET)

        conversation_id = d.pop("conversationId", UNSET)

        epoch = d.pop("epoch", UNSET)

        idempotency_key = d.pop("idempotencyKey", UNSET)

        instance_id = d.pop("instanceId", UNSET)

        _payload = d.pop("payload", UNSET)
        payload: PostChannelActivityBodyPayload | Unset
        if isinstance(_payload,  Unset):
            payload = UNSET
        else:
            payload = PostChannelActivityBodyPayload.from_dict(_payload)




        post_channel_activity_body = cls(
            body=body,
            conversation_id=conversation_id,
            epoch=epoch,
            idempotency_key=idempotency_key,
            instance_id=instance_id,
            payload=payload,
        )


        post_channel_activity_body.additional_properties = d
        return post_channel_activity_body

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
