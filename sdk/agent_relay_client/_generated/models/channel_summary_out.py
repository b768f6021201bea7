from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ChannelSummaryOut")



@_attrs_define
class ChannelSummaryOut:
    

    account_id: str
    agent_id: str
    direction: str
    id: str
    name: str
    ready: bool
    status: str
    topic_channels: list[str]
    transport: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        agent_id = self.agent_id

        direction = self.direction

        id = self.id

        name = self.name

        ready = self.ready

        status = self.status

        topic_channels = self.topic_channels



        transport = self.transport

        type_ = self.type_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "accountId": account_id,
            "agentId": agent_id,
            "direction": direction,
            "id": id,
            "name": name,
            "ready": ready,
            "status": status,
            "topicChannels": topic_channels,
            "transport": transport,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_id = d.pop("accountId")

        agent_id = d.pop("agentId")

        direction = d.pop("direction")

        id = d.pop("id")

        name = d.pop("name")

        ready = d.pop("ready")

        status = d.pop("status")

        topic_channels = cast(list[str], d.pop("topicChannels"))


        transport = d.pop("transport")

        type_ = d.pop("type")

        channel_summary_out = cls(
            account_id=account_id,
            agent_id=agent_id,
            direction=direction,
            id=id,
            name=name,
            ready=ready,
            status=status,
            topic_channels=topic_channels,
            transport=transport,
            type_=type_,
        )


        channel_summary_out.additional_properties = d
        return channel_summary_out

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
