from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.agent_register_kind_type_0 import AgentRegisterKindType0
from ..models.agent_register_kind_type_0 import check_agent_register_kind_type_0
from ..models.agent_register_status_type_0 import AgentRegisterStatusType0
from ..models.agent_register_status_type_0 import check_agent_register_status_type_0
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.agent_register_meta_type_0 import AgentRegisterMetaType0





T = TypeVar("T", bound="AgentRegister")



@_attrs_define
class AgentRegister:
    

    id: str
    name: str
    capabilities: list[str] | None | Unset = UNSET
    epoch: int | None | Unset = UNSET
    instance_id: None | str | Unset = UNSET
    issue_token: bool | None | Unset = UNSET
    """ Admin only: also mint a token for this agent (the answer's `token`) """
    kind: AgentRegisterKindType0 | None | Unset = UNSET
    label: None | str | Unset = UNSET
    meta: AgentRegisterMetaType0 | None | Unset = UNSET
    ready: bool | None | Unset = UNSET
    status: AgentRegisterStatusType0 | None | Unset = UNSET
    tags: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.agent_register_meta_type_0 import AgentRegisterMetaType0 # noqa: PLC0415
        id = self.id

        name = self.name

        capabilities: list[str] | None | Unset
        if isinstance(self.capabilities, Unset):
            capabilities = UNSET
        elif isinstance(self.capabilities, list):
            capabilities = self.capabilities


        else:
            capabilities = self.capabilities

        epoch: int | None | Unset
        if isinstance(self.epoch, Unset):
            epoch = UNSET
        else:
            epoch = self.epoch

        instance_id: None | str | Unset
        if isinstance(self.instance_id, Unset):
            instance_id = UNSET
        else:
            instance_id = self.instance_id

        issue_token: bool | None | Unset
        if isinstance(self.issue_token, Unset):
            issue_token = UNSET
        else:
            issue_token = self.issue_token

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        elif isinstance(self.kind, str):
            kind = self.kind
        else:
            kind = self.kind

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        meta: dict[str, Any] | None | Unset
        if isinstance(self.meta, Unset):
            meta = UNSET
        elif isinstance(self.meta, AgentRegisterMetaType0):
            meta = self.meta.to_dict()
        else:
            meta = self.meta

        ready: bool | None | Unset
        if isinstance(self.ready, Unset):
            ready = UNSET
        else:
            ready = self.ready

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, str):
            status = self.status
        else:
            status = self.status

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags


        else:
            tags = self.tags


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
        })
        if capabilities is not UNSET:
            field_dict["capabilities"] = capabilities
        if epoch is not UNSET:
            field_dict["epoch"] = epoch
        if instance_id is not UNSET:
            field_dict["instanceId"] = instance_id
        if issue_token is not UNSET:
            field_dict["issueToken"] = issue_token
        if kind is not UNSET:
            field_dict["kind"] = kind
        if label is not UNSET:
            field_dict["label"] = label
        if meta is not UNSET:
            field_dict["meta"] = meta
        if ready is not UNSET:
            field_dict["ready"] = ready
        if status is not UNSET:
            field_dict["status"] = status
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_register_meta_type_0 import AgentRegisterMetaType0 # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_capabilities(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                capabilities_type_0 = cast(list[str], data)

                return capabilities_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        capabilities = _parse_capabilities(d.pop("capabilities", UNSET))


        def _parse_epoch(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        epoch = _parse_epoch(d.pop("epoch", UNSET))


        def _parse_instance_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance_id = _parse_instance_id(d.pop("instanceId", UNSET))


        def _parse_issue_token(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        issue_token = _parse_issue_token(d.pop("issueToken", UNSET))


        def _parse_kind(data: object) -> AgentRegisterKindType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                kind_type_0 = check_agent_register_kind_type_0(data)



                return kind_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentRegisterKindType0 | None | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))


        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))


        def _parse_meta(data: object) -> AgentRegisterMetaType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                meta_type_0 = AgentRegisterMetaType0.from_dict(data)



                return meta_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentRegisterMetaType0 | None | Unset, data)

        meta = _parse_meta(d.pop("meta", UNSET))


        def _parse_ready(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        ready = _parse_ready(d.pop("ready", UNSET))


        def _parse_status(data: object) -> AgentRegisterStatusType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = check_agent_register_status_type_0(data)



                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentRegisterStatusType0 | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))


        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))


        agent_register = cls(
            id=id,
            name=name,
            capabilities=capabilities,
            epoch=epoch,
            instance_id=instance_id,
            issue_token=issue_token,
            kind=kind,
            label=label,
            meta=meta,
            ready=ready,
            status=status,
            tags=tags,
        )


        agent_register.additional_properties = d
        return agent_register

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
