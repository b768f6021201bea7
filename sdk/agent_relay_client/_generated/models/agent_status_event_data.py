from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.agent_card_kind import AgentCardKind
from ..models.agent_card_kind import check_agent_card_kind
from ..models.agent_card_status import AgentCardStatus
from ..models.agent_card_status import check_agent_card_status
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.agent_card_meta import AgentCardMeta





T = TypeVar("T", bound="AgentStatusEventData")



@_attrs_define
class AgentStatusEventData:
    """ The SSE `data:` field, JSON

     """

    capabilities: list[str]
    created_at: int
    id: str
    kind: AgentCardKind
    last_seen: int
    meta: AgentCardMeta
    name: str
    ready: bool
    status: AgentCardStatus
    tags: list[str]
    epoch: int | None | Unset = UNSET
    instance_id: None | str | Unset = UNSET
    label: None | str | Unset = UNSET
    deleted: bool | Unset = UNSET
    """ Present (true) when the agent was removed """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.agent_card_meta import AgentCardMeta # noqa: PLC0415
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

        deleted = self.deleted


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
        if deleted is not UNSET:
            field_dict["deleted"] = deleted

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_card_meta import AgentCardMeta # noqa: PLC0415
        d = dict(src_dict)
        capabilities = cast(list[str], d.pop("capabilities"))


        created_at = d.pop("createdAt")

        id = d.pop("id")

        kind = check_agent_card_kind(d.pop("kind"))




        last_seen = d.pop("lastSeen")

        meta = AgentCardMeta.from_dict(d.pop("meta"))




        name = d.pop("name")

        ready = d.pop("ready")

        status = check_agent_card_status(d.pop("status"))




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


        deleted = d.pop("deleted", UNSET)

        agent_status_event_data = cls(
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
            deleted=deleted,
        )


        agent_status_event_data.additional_properties = d
        return agent_status_event_data

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
