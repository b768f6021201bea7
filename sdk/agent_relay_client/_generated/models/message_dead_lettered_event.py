from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.message_out import MessageOut





T = TypeVar("T", bound="MessageDeadLetteredEvent")



@_attrs_define
class MessageDeadLetteredEvent:
    """ `message.dead_lettered`: A lease lapsed or was released with deliveryCount at maxDeliveries.

     """

    data: MessageOut
    event: Literal['message.dead_lettered']
    """ The SSE `event:` field """
    id: int
    """ The SSE `id:` field: the event's id in the durable log (Last-Event-ID) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.message_out import MessageOut # noqa: PLC0415
        data = self.data.to_dict()

        event = self.event

        id = self.id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "data": data,
            "event": event,
            "id": id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_out import MessageOut # noqa: PLC0415
        d = dict(src_dict)
        data = MessageOut.from_dict(d.pop("data"))




        event = cast(Literal['message.dead_lettered'] , d.pop("event"))
        if event != 'message.dead_lettered':
            raise ValueError(f"event must match const 'message.dead_lettered', got '{event}'")

        id = d.pop("id")

        message_dead_lettered_event = cls(
            data=data,
            event=event,
            id=id,
        )


        message_dead_lettered_event.additional_properties = d
        return message_dead_lettered_event

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
