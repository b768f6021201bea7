from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.channel_binding_out import ChannelBindingOut
  from ..models.message_out import MessageOut





T = TypeVar("T", bound="ChannelEventOut")



@_attrs_define
class ChannelEventOut:
    

    bindings: list[ChannelBindingOut]
    created: bool
    messages: list[MessageOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.channel_binding_out import ChannelBindingOut # noqa: PLC0415
        from ..models.message_out import MessageOut # noqa: PLC0415
        bindings = []
        for bindings_item_data in self.bindings:
            bindings_item = bindings_item_data.to_dict()
            bindings.append(bindings_item)



        created = self.created

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "bindings": bindings,
            "created": created,
            "messages": messages,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_binding_out import ChannelBindingOut # noqa: PLC0415
        from ..models.message_out import MessageOut # noqa: PLC0415
        d = dict(src_dict)
        bindings = []
        _bindings = d.pop("bindings")
        for bindings_item_data in (_bindings):
            bindings_item = ChannelBindingOut.from_dict(bindings_item_data)



            bindings.append(bindings_item)


        created = d.pop("created")

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in (_messages):
            messages_item = MessageOut.from_dict(messages_item_data)



            messages.append(messages_item)


        channel_event_out = cls(
            bindings=bindings,
            created=created,
            messages=messages,
        )


        channel_event_out.additional_properties = d
        return channel_event_out

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
