from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.integration_summary_counts import IntegrationSummaryCounts





T = TypeVar("T", bound="IntegrationSummary")



@_attrs_define
class IntegrationSummary:
    

    configured: bool
    counts: IntegrationSummaryCounts
    events: int
    name: str
    total: int
    last_event_at: int | None | Unset = UNSET
    last_external_id: None | str | Unset = UNSET
    last_status: None | str | Unset = UNSET
    last_task_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.integration_summary_counts import IntegrationSummaryCounts # noqa: PLC0415
        configured = self.configured

        counts = self.counts.to_dict()

        events = self.events

        name = self.name

        total = self.total

        last_event_at: int | None | Unset
        if isinstance(self.last_event_at, Unset):
            last_event_at = UNSET
        else:
            last_event_at = self.last_event_at

        last_external_id: None | str | Unset
        if isinstance(self.last_external_id, Unset):
            last_external_id = UNSET
        else:
            last_external_id = self.last_external_id

        last_status: None | str | Unset
        if isinstance(self.last_status, Unset):
            last_status = UNSET
        else:
            last_status = self.last_status

        last_task_id: int | None | Unset
        if isinstance(self.last_task_id, Unset):
            last_task_id = UNSET
        else:
            last_task_id = self.last_task_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "configured": configured,
            "counts": counts,
            "events": events,
            "name": name,
            "total": total,
        })
        if last_event_at is not UNSET:
            field_dict["lastEventAt"] = last_event_at
        if last_external_id is not UNSET:
            field_dict["lastExternalId"] = last_external_id
        if last_status is not UNSET:
            field_dict["lastStatus"] = last_status
        if last_task_id is not UNSET:
            field_dict["lastTaskId"] = last_task_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.integration_summary_counts import IntegrationSummaryCounts # noqa: PLC0415
        d = dict(src_dict)
        configured = d.pop("configured")

        counts = IntegrationSummaryCounts.from_dict(d.pop("counts"))




        events = d.pop("events")

        name = d.pop("name")

        total = d.pop("total")

        def _parse_last_event_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_event_at = _parse_last_event_at(d.pop("lastEventAt", UNSET))


        def _parse_last_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_external_id = _parse_last_external_id(d.pop("lastExternalId", UNSET))


        def _parse_last_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_status = _parse_last_status(d.pop("lastStatus", UNSET))


        def _parse_last_task_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_task_id = _parse_last_task_id(d.pop("lastTaskId", UNSET))


        integration_summary = cls(
            configured=configured,
            counts=counts,
            events=events,
            name=name,
            total=total,
            last_event_at=last_event_at,
            last_external_id=last_external_id,
            last_status=last_status,
            last_task_id=last_task_id,
        )


        integration_summary.additional_properties = d
        return integration_summary

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
