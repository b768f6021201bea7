from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.managed_agent_approvalmode import check_managed_agent_approvalmode
from ..models.managed_agent_approvalmode import ManagedAgentApprovalmode
from ..models.managed_agent_provider import check_managed_agent_provider
from ..models.managed_agent_provider import ManagedAgentProvider
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ManagedAgent")



@_attrs_define
class ManagedAgent:
    

    agent_id: str
    approval_mode: ManagedAgentApprovalmode
    cwd: str
    provider: ManagedAgentProvider
    started_at: int
    tmux_session: str
    label: None | str | Unset = UNSET
    pid: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        agent_id = self.agent_id

        approval_mode: str = self.approval_mode

        cwd = self.cwd

        provider: str = self.provider

        started_at = self.started_at

        tmux_session = self.tmux_session

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


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "agentId": agent_id,
            "approvalMode": approval_mode,
            "cwd": cwd,
            "provider": provider,
            "startedAt": started_at,
            "tmuxSession": tmux_session,
        })
        if label is not UNSET:
            field_dict["label"] = label
        if pid is not UNSET:
            field_dict["pid"] = pid

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agent_id = d.pop("agentId")

        approval_mode = check_managed_agent_approvalmode(d.pop("approvalMode"))




        cwd = d.pop("cwd")

        provider = check_managed_agent_provider(d.pop("provider"))




        started_at = d.pop("startedAt")

        tmux_session = d.pop("tmuxSession")

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


        managed_agent = cls(
            agent_id=agent_id,
            approval_mode=approval_mode,
            cwd=cwd,
            provider=provider,
            started_at=started_at,
            tmux_session=tmux_session,
            label=label,
            pid=pid,
        )


        managed_agent.additional_properties = d
        return managed_agent

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
