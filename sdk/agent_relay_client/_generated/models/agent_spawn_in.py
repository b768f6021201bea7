from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.agent_spawn_in_approvalmode import AgentSpawnInApprovalmode
from ..models.agent_spawn_in_approvalmode import check_agent_spawn_in_approvalmode
from ..models.agent_spawn_in_provider import AgentSpawnInProvider
from ..models.agent_spawn_in_provider import check_agent_spawn_in_provider
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AgentSpawnIn")



@_attrs_define
class AgentSpawnIn:
    

    provider: AgentSpawnInProvider
    approval_mode: AgentSpawnInApprovalmode | Unset = UNSET
    """ Default: `"guarded"`. """
    cwd: None | str | Unset = UNSET
    label: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        provider: str = self.provider

        approval_mode: str | Unset = UNSET
        if not isinstance(self.approval_mode, Unset):
            approval_mode = self.approval_mode


        cwd: None | str | Unset
        if isinstance(self.cwd, Unset):
            cwd = UNSET
        else:
            cwd = self.cwd

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "provider": provider,
        })
        if approval_mode is not UNSET:
            field_dict["approvalMode"] = approval_mode
        if cwd is not UNSET:
            field_dict["cwd"] = cwd
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = check_agent_spawn_in_provider(d.pop("provider"))




        _approval_mode = d.pop("approvalMode", UNSET)
        approval_mode: AgentSpawnInApprovalmode | Unset
        if isinstance(_approval_mode,  Unset):
            approval_mode = UNSET
        else:
            approval_mode = check_agent_spawn_in_approvalmode(_approval_mode)




        def _parse_cwd(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cwd = _parse_cwd(d.pop("cwd", UNSET))


        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))


        agent_spawn_in = cls(
            provider=provider,
            approval_mode=approval_mode,
            cwd=cwd,
            label=label,
        )


        agent_spawn_in.additional_properties = d
        return agent_spawn_in

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
