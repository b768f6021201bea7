from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.pair_out_status import check_pair_out_status
from ..models.pair_out_status import PairOutStatus
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="PairOut")



@_attrs_define
class PairOut:
    

    agent_ids: list[str]
    created_at: int
    from_: str
    id: int
    status: PairOutStatus
    to: str
    updated_at: int
    accepted_at: int | None | Unset = UNSET
    ended_at: int | None | Unset = UNSET
    ended_by: None | str | Unset = UNSET
    expires_at: int | None | Unset = UNSET
    topic: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        agent_ids = self.agent_ids



        created_at = self.created_at

        from_ = self.from_

        id = self.id

        status: str = self.status

        to = self.to

        updated_at = self.updated_at

        accepted_at: int | None | Unset
        if isinstance(self.accepted_at, Unset):
            accepted_at = UNSET
        else:
            accepted_at = self.accepted_at

        ended_at: int | None | Unset
        if isinstance(self.ended_at, Unset):
            ended_at = UNSET
        else:
            ended_at = self.ended_at

        ended_by: None | str | Unset
        if isinstance(self.ended_by, Unset):
            ended_by = UNSET
        else:
            ended_by = self.ended_by

        expires_at: int | None | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = self.expires_at

        topic: None | str | Unset
        if isinstance(self.topic, Unset):
            topic = UNSET
        else:
            topic = self.topic


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "agentIds": agent_ids,
            "createdAt": created_at,
            "from": from_,
            "id": id,
            "status": status,
            "to": to,
            "updatedAt": updated_at,
        })
        if accepted_at is not UNSET:
            field_dict["acceptedAt"] = accepted_at
        if ended_at is not UNSET:
            field_dict["endedAt"] = ended_at
        if ended_by is not UNSET:
            field_dict["endedBy"] = ended_by
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if topic is not UNSET:
            field_dict["topic"] = topic

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agent_ids = cast(list[str], d.pop("agentIds"))


        created_at = d.pop("createdAt")

        from_ = d.pop("from")

        id = d.pop("id")

        status = check_pair_out_status(d.pop("status"))




        to = d.pop("to")

        updated_at = d.pop("updatedAt")

        def _parse_accepted_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        accepted_at = _parse_accepted_at(d.pop("acceptedAt", UNSET))


        def _parse_ended_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ended_at = _parse_ended_at(d.pop("endedAt", UNSET))


        def _parse_ended_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ended_by = _parse_ended_by(d.pop("endedBy", UNSET))


        def _parse_expires_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expiresAt", UNSET))


        def _parse_topic(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        topic = _parse_topic(d.pop("topic", UNSET))


        pair_out = cls(
            agent_ids=agent_ids,
            created_at=created_at,
            from_=from_,
            id=id,
            status=status,
            to=to,
            updated_at=updated_at,
            accepted_at=accepted_at,
            ended_at=ended_at,
            ended_by=ended_by,
            expires_at=expires_at,
            topic=topic,
        )


        pair_out.additional_properties = d
        return pair_out

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
