from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.managed_agent_in_approvalmode import check_managed_agent_in_approvalmode
from ..models.managed_agent_in_approvalmode import ManagedAgentInApprovalmode
from ..models.managed_agent_in_provider import check_managed_agent_in_provider
from ..models.managed_agent_in_provider import ManagedAgentInProvider
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ManagedAgentIn")



@_attrs_define
class ManagedAgentIn:
    

    cwd: str
    provider: ManagedAgentInProvider
    tmux_session: str
    agent_id: str | Unset = UNSET
    """ Default: `""`. """
    approval_mode: ManagedAgentInApprovalmode | Unset = UNSET
    """ Default: `"guarded"`. """
    label: None | str | Unset = UNSET
    pid: int | None | Unset = UNSET
    started_at: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        cwd = self.cwd

        provider: str = self.provider

        tmux_session = self.tmux_session

        agent_id = self.agent_id

        approval_mode: str | Unset = UNSET
        if not isinstance(self.approval_mode, Unset):
            approval_mode = self.approval_mode


        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        pid: int | None | Unset
        if isinstance(self.pid, Unset):
            pid = UNSET
        else:
            pid = self.pid

        started_at: int | None | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        else:
            started_at = self.started_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "cwd": cwd,
            "provider": provider,
            "tmuxSession": tmux_session,
        })
        if agent_id is not UNSET:
            field_dict["agentId"] = agent_id
        if approval_mode is not UNSET:
            field_dict["approvalMode"] = approval_mode
        if label is not UNSET:
            field_dict["label"] = label
        if pid is not UNSET:
            field_dict["pid"] = pid
        if started_at is not UNSET:
            field_dict["startedAt"] = started_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cwd = d.pop("cwd")

        provider = check_managed_agent_in_provider(d.pop("provider"))




        tmux_session = d.pop("tmuxSession")

        agent_id = d.pop("agentId", UNSET)

        _approval_mode = d.pop("approvalMode", UNSET)
        approval_mode: ManagedAgentInApprovalmode | Unset
        if isinstance(_approval_mode,  Unset):
            approval_mode = UNSET
        else:
            approval_mode = check_managed_agent_in_approvalmode(_approval_mode)




        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))


        def _parse_pid(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pid = _parse_pid(d.pop("pid", UNSET))


        def _parse_started_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        started_at = _parse_started_at(d.pop("startedAt", UNSET))


        managed_agent_in = cls(
            cwd=cwd,
            provider=provider,
            tmux_session=tmux_session,
            agent_id=agent_id,
            approval_mode=approval_mode,
            label=label,
            pid=pid,
            started_at=started_at,
        )


        managed_agent_in.additional_properties = d
        return managed_agent_in

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
