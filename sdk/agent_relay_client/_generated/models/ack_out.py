from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="AckOut")



@_attrs_define
class AckOut:
    

    acked_at: int
    agent_id: str
    message_id: int
    ok: bool
    completed: bool | Unset = False
    """ This ack completed the agent's claim (§15) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        acked_at = self.acked_at

        agent_id = self.agent_id

        message_id = self.message_id

        ok = self.ok

        completed = self.completed


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ackedAt": acked_at,
            "agentId": agent_id,
            "messageId": message_id,
            "ok": ok,
        })
        if completed is not UNSET:
            field_dict["completed"] = completed

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        acked_at = d.pop("ackedAt")

        agent_id = d.pop("agentId")

        message_id = d.pop("messageId")

        ok = d.pop("ok")

        completed = d.pop("completed", UNSET)

        ack_out = cls(
            acked_at=acked_at,
            agent_id=agent_id,
            message_id=message_id,
            ok=ok,
            completed=completed,
        )


        ack_out.additional_properties = d
        return ack_out

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
