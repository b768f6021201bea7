from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.channel_binding_out_mode import ChannelBindingOutMode
from ..models.channel_binding_out_mode import check_channel_binding_out_mode
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.channel_target_out import ChannelTargetOut





T = TypeVar("T", bound="ChannelBindingOut")



@_attrs_define
class ChannelBindingOut:
    

    channel_id: str
    created_at: int
    id: int
    mode: ChannelBindingOutMode
    priority: int
    target: ChannelTargetOut
    updated_at: int
    conversation_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.channel_target_out import ChannelTargetOut # noqa: PLC0415
        channel_id = self.channel_id

        created_at = self.created_at

        id = self.id

        mode: str = self.mode

        priority = self.priority

        target = self.target.to_dict()

        updated_at = self.updated_at

        conversation_id: None | str | Unset
        if isinstance(self.conversation_id, Unset):
            conversation_id = UNSET
        else:
            conversation_id = self.conversation_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "channelId": channel_id,
            "createdAt": created_at,
            "id": id,
            "mode": mode,
            "priority": priority,
            "target": target,
            "updatedAt": updated_at,
        })
        if conversation_id is not UNSET:
            field_dict["conversationId"] = conversation_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_target_out import ChannelTargetOut # noqa: PLC0415
        d = dict(src_dict)
        channel_id = d.pop("channelId")

        created_at = d.pop("createdAt")

        id = d.pop("id")

        mode = check_channel_binding_out_mode(d.pop("mode"))




        priority = d.pop("priority")

        target = ChannelTargetOut.from_dict(d.pop("target"))




        updated_at = d.pop("updatedAt")

        def _parse_conversation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        conversation_id = _parse_conversation_id(d.pop("conversationId", UNSET))


        channel_binding_out = cls(
            channel_id=channel_id,
            created_at=created_at,
            id=id,
            mode=mode,
            priority=priority,
            target=target,
            updated_at=updated_at,
            conversation_id=conversation_id,
        )


        channel_binding_out.additional_properties = d
        return channel_binding_out

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
