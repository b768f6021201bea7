from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.bind_channel_body_mode import BindChannelBodyMode
from ..models.bind_channel_body_mode import check_bind_channel_body_mode
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.bind_channel_body_target_type_1 import BindChannelBodyTargetType1





T = TypeVar("T", bound="BindChannelBody")



@_attrs_define
class BindChannelBody:
    """ 
        Example:
            {'channelId': 'slack:T123', 'epoch': 1, 'instanceId': 'i-1', 'mode': 'claimable', 'target': 'label:support'}

     """

    channel_id: str
    target: BindChannelBodyTargetType1 | str
    """ An address (`label:X`, `tag:X`, `cap:X`, `broadcast`, else an agent id) or {type, id} """
    conversation_id: str | Unset = UNSET
    """ Omit for the channel default """
    epoch: int | Unset = UNSET
    """ Session guard (or X-Agent-Epoch) """
    instance_id: str | Unset = UNSET
    """ Session guard (or X-Agent-Instance-Id) """
    mode: BindChannelBodyMode | Unset = 'exclusive'
    priority: int | Unset = UNSET
    """ Higher wins among exclusive bindings """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.bind_channel_body_target_type_1 import BindChannelBodyTargetType1 # noqa: PLC0415
        channel_id = self.channel_id

        target: dict[str, Any] | str
        if isinstance(self.target, BindChannelBodyTargetType1):
            target = self.target.to_dict()
        else:
            target = self.target

        conversation_id = self.conversation_id

        epoch = self.epoch

        instance_id = self.instance_id

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode


        priority = self.priority


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "channelId": channel_id,
            "target": target,
        })
        if conversation_id is not UNSET:
            field_dict["conversationId"] = conversation_id
        if epoch is not UNSET:
            field_dict["epoch"] = epoch
        if instance_id is not UNSET:
            field_dict["instanceId"] = instance_id
        if mode is not UNSET:
            field_dict["mode"] = mode
        if priority is not UNSET:
            field_dict["priority"] = priority

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bind_channel_body_target_type_1 import BindChannelBodyTargetType1 # noqa: PLC0415
        d = dict(src_dict)
        channel_id = d.pop("channelId")

        def _parse_target(data: object) -> BindChannelBodyTargetType1 | str:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                target_type_1 = BindChannelBodyTargetType1.from_dict(data)



                return target_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BindChannelBodyTargetType1 | str, data)

        target = _parse_target(d.pop("target"))


        conversation_id = d.pop("conversationId", UNSET)

        epoch = d.pop("epoch", UNSET)

        instance_id = d.pop("instanceId", UNSET)

        _mode = d.pop("mode", UNSET)
        mode: BindChannelBodyMode | Unset
        if isinstance(_mode,  Unset):
            mode = UNSET
        else:
            mode = check_bind_channel_body_mode(_mode)




        priority = d.pop("priority", UNSET)

        bind_channel_body = cls(
            channel_id=channel_id,
            target=target,
            conversation_id=conversation_id,
            epoch=epoch,
            instance_id=instance_id,
            mode=mode,
            priority=priority,
        )


        bind_channel_body.additional_properties = d
        return bind_channel_body

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
