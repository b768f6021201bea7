from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.registered_agent_out_kind import check_registered_agent_out_kind
from ..models.registered_agent_out_kind import RegisteredAgentOutKind
from ..models.registered_agent_out_status import check_registered_agent_out_status
from ..models.registered_agent_out_status import RegisteredAgentOutStatus
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.registered_agent_out_meta import RegisteredAgentOutMeta





T = TypeVar("T", bound="RegisteredAgentOut")



@_attrs_define
class RegisteredAgentOut:
    """ The card; with `issueToken`, also the minted token's secret (shown only here).

     """

    capabilities: list[str]
    created_at: int
    id: str
    kind: RegisteredAgentOutKind
    last_seen: int
    meta: RegisteredAgentOutMeta
    name: str
    ready: bool
    status: RegisteredAgentOutStatus
    tags: list[str]
    epoch: int | None | Unset = UNSET
    instance_id: None | str | Unset = UNSET
    label: None | str | Unset = UNSET
    token: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.registered_agent_out_meta import RegisteredAgentOutMeta # noqa: PLC0415
        capabilities = self.capabilities



        created_at = self.created_at

        id = self.id

        kind: str = self.kind

        last_seen = self.last_seen

        meta = self.meta.to_dict()

        name = self.name

        ready = self.ready

        status: str = self.status

        tags = self.tags



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

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "capabilities": capabilities,
            "createdAt": created_at,
            "id": id,
            "kind": kind,
            "lastSeen": last_seen,
            "meta": meta,
            "name": name,
            "ready": ready,
            "status": status,
            "tags": tags,
        })
        if epoch is not UNSET:
            field_dict["epoch"] = epoch
        if instance_id is not UNSET:
            field_dict["instanceId"] = instance_id
        if label is not UNSET:
            field_dict["label"] = label
        if token is not UNSET:
            field_dict["token"] = token

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.registered_agent_out_meta import RegisteredAgentOutMeta # noqa: PLC0415
        d = dict(src_dict)
        capabilities = cast(list[str], d.pop("capabilities"))


        created_at = d.pop("createdAt")

        id = d.pop("id")

        kind = check_registered_agent_out_kind(d.pop("kind"))




        last_seen = d.pop("lastSeen")

        meta = RegisteredAgentOutMeta.from_dict(d.pop("meta"))




        name = d.pop("name")

        ready = d.pop("ready")

        status = check_registered_agent_out_status(d.pop("status"))




        tags = cast(list[str], d.pop("tags"))


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


        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))


        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))


        registered_agent_out = cls(
            capabilities=capabilities,
            created_at=created_at,
            id=id,
            kind=kind,
            last_seen=last_seen,
            meta=meta,
            name=name,
            ready=ready,
            status=status,
            tags=tags,
            epoch=epoch,
            instance_id=instance_id,
            label=label,
            token=token,
        )


        registered_agent_out.additional_properties = d
        return registered_agent_out

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
