from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.channel_activity import ChannelActivity





T = TypeVar("T", bound="ChannelActivityEvent")



@_attrs_define
class ChannelActivityEvent:
    """ `channel.activity`: Ephemeral channel activity (typing, read receipts, presence): never stored or replayed.

     """

    data: ChannelActivity
    event: Literal['channel.activity']
    """ The SSE `event:` field """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.channel_activity import ChannelActivity # noqa: PLC0415
        data = self.data.to_dict()

        event = self.event


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "data": data,
            "event": event,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_activity import ChannelActivity # noqa: PLC0415
        d = dict(src_dict)
        data = ChannelActivity.from_dict(d.pop("data"))




        event = cast(Literal['channel.activity'] , d.pop("event"))
        if event != 'channel.activity':
            raise ValueError(f"event must match const 'channel.activity', got '{event}'")

        channel_activity_event = cls(
            data=data,
            event=event,
        )


        channel_activity_event.additional_properties = d
        return channel_activity_event

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
