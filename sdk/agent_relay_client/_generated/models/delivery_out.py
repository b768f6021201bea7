from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.delivery_out_state import check_delivery_out_state
from ..models.delivery_out_state import DeliveryOutState
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="DeliveryOut")



@_attrs_define
class DeliveryOut:
    """ One row of a message's delivery ledger: how far it got with one agent.

     """

    agent_id: str
    state: DeliveryOutState
    claimed_at: int | None | Unset = UNSET
    completed_at: int | None | Unset = UNSET
    delivered_at: int | None | Unset = UNSET
    read_at: int | None | Unset = UNSET
    woken_at: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        agent_id = self.agent_id

        state: str = self.state

        claimed_at: int | None | Unset
        if isinstance(self.claimed_at, Unset):
            claimed_at = UNSET
        else:
            claimed_at = self.claimed_at

        completed_at: int | None | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = self.completed_at

        delivered_at: int | None | Unset
        if isinstance(self.delivered_at, Unset):
            delivered_at = UNSET
        else:
            delivered_at = self.delivered_at

        read_at: int | None | Unset
        if isinstance(self.read_at, Unset):
            read_at = UNSET
        else:
            read_at = self.read_at

        woken_at: int | None | Unset
        if isinstance(self.woken_at, Unset):
            woken_at = UNSET
        else:
            woken_at = self.woken_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "agentId": agent_id,
            "state": state,
        })
        if claimed_at is not UNSET:
            field_dict["claimedAt"] = claimed_at
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at
        if delivered_at is not UNSET:
            field_dict["deliveredAt"] = delivered_at
        if read_at is not UNSET:
            field_dict["readAt"] = read_at
        if woken_at is not UNSET:
            field_dict["wokenAt"] = woken_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agent_id = d.pop("agentId")

        state = check_delivery_out_state(d.pop("state"))




        def _parse_claimed_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        claimed_at = _parse_claimed_at(d.pop("claimedAt", UNSET))


        def _parse_completed_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completedAt", UNSET))


        def _parse_delivered_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        delivered_at = _parse_delivered_at(d.pop("deliveredAt", UNSET))


        def _parse_read_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        read_at = _parse_read_at(d.pop("readAt", UNSET))


        def _parse_woken_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        woken_at = _parse_woken_at(d.pop("wokenAt", UNSET))


        delivery_out = cls(
            agent_id=agent_id,
            state=state,
            claimed_at=claimed_at,
            completed_at=completed_at,
            delivered_at=delivered_at,
            read_at=read_at,
            woken_at=woken_at,
        )


        delivery_out.additional_properties = d
        return delivery_out

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
