from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ReapOut")



@_attrs_define
class ReapOut:
    

    ok: bool
    reaped_agent_ids: list[str]
    reaped_orchestrator_ids: list[str]
    released_message_ids: list[int]
    released_task_ids: list[int | str]
    dead_lettered_message_ids: list[int] | Unset = UNSET
    expired_pair_ids: list[int] | Unset = UNSET
    stuck_message_ids: list[int] | Unset = UNSET
    woken_agent_ids: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        reaped_agent_ids = self.reaped_agent_ids



        reaped_orchestrator_ids = self.reaped_orchestrator_ids



        released_message_ids = self.released_message_ids



        released_task_ids = []
        for released_task_ids_item_data in self.released_task_ids:
            released_task_ids_item: int | str
            released_task_ids_item = released_task_ids_item_data
            released_task_ids.append(released_task_ids_item)



        dead_lettered_message_ids: list[int] | Unset = UNSET
        if not isinstance(self.dead_lettered_message_ids, Unset):
            dead_lettered_message_ids = self.dead_lettered_message_ids



        expired_pair_ids: list[int] | Unset = UNSET
        if not isinstance(self.expired_pair_ids, Unset):
            expired_pair_ids = self.expired_pair_ids



        stuck_message_ids: list[int] | Unset = UNSET
        if not isinstance(self.stuck_message_ids, Unset):
            stuck_message_ids = self.stuck_message_ids



        woken_agent_ids: list[str] | Unset = UNSET
        if not isinstance(self.woken_agent_ids, Unset):
            woken_agent_ids = self.woken_agent_ids




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ok": ok,
            "reapedAgentIds": reaped_agent_ids,
            "reapedOrchestratorIds": reaped_orchestrator_ids,
            "releasedMessageIds": released_message_ids,
            "releasedTaskIds": released_task_ids,
        })
        if dead_lettered_message_ids is not UNSET:
            field_dict["deadLetteredMessageIds"] = dead_lettered_message_ids
        if expired_pair_ids is not UNSET:
            field_dict["expiredPairIds"] = expired_pair_ids
        if stuck_message_ids is not UNSET:
            field_dict["stuckMessageIds"] = stuck_message_ids
        if woken_agent_ids is not UNSET:
            field_dict["wokenAgentIds"] = woken_agent_ids

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        reaped_agent_ids = cast(list[str], d.pop("reapedAgentIds"))


        reaped_orchestrator_ids = cast(list[str], d.pop("reapedOrchestratorIds"))


        released_message_ids = cast(list[int], d.pop("releasedMessageIds"))


        released_task_ids = []
        _released_task_ids = d.pop("releasedTaskIds")
        for released_task_ids_item_data in (_released_task_ids):
            def _parse_released_task_ids_item(data: object) -> int | str:
                return cast(int | str, data)

            released_task_ids_item = _parse_released_task_ids_item(released_task_ids_item_data)

            released_task_ids.append(released_task_ids_item)


        dead_lettered_message_ids = cast(list[int], d.pop("deadLetteredMessageIds", UNSET))


        expired_pair_ids = cast(list[int], d.pop("expiredPairIds", UNSET))


        stuck_message_ids = cast(list[int], d.pop("stuckMessageIds", UNSET))


        woken_agent_ids = cast(list[str], d.pop("wokenAgentIds", UNSET))


        reap_out = cls(
            ok=ok,
            reaped_agent_ids=reaped_agent_ids,
            reaped_orchestrator_ids=reaped_orchestrator_ids,
            released_message_ids=released_message_ids,
            released_task_ids=released_task_ids,
            dead_lettered_message_ids=dead_lettered_message_ids,
            expired_pair_ids=expired_pair_ids,
            stuck_message_ids=stuck_message_ids,
            woken_agent_ids=woken_agent_ids,
        )


        reap_out.additional_properties = d
        return reap_out

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
