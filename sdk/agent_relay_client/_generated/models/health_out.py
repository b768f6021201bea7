from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.database_health import DatabaseHealth
  from ..models.health_out_counts import HealthOutCounts
  from ..models.writer_health import WriterHealth





T = TypeVar("T", bound="HealthOut")



@_attrs_define
class HealthOut:
    

    counts: HealthOutCounts
    database: DatabaseHealth
    ok: bool
    status: str
    subscribers: int
    uptime_ms: int
    version: str
    writer: WriterHealth
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.database_health import DatabaseHealth # noqa: PLC0415
        from ..models.health_out_counts import HealthOutCounts # noqa: PLC0415
        from ..models.writer_health import WriterHealth # noqa: PLC0415
        counts = self.counts.to_dict()

        database = self.database.to_dict()

        ok = self.ok

        status = self.status

        subscribers = self.subscribers

        uptime_ms = self.uptime_ms

        version = self.version

        writer = self.writer.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "counts": counts,
            "database": database,
            "ok": ok,
            "status": status,
            "subscribers": subscribers,
            "uptimeMs": uptime_ms,
            "version": version,
            "writer": writer,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.database_health import DatabaseHealth # noqa: PLC0415
        from ..models.health_out_counts import HealthOutCounts # noqa: PLC0415
        from ..models.writer_health import WriterHealth # noqa: PLC0415
        d = dict(src_dict)
        counts = HealthOutCounts.from_dict(d.pop("counts"))




        database = DatabaseHealth.from_dict(d.pop("database"))




        ok = d.pop("ok")

        status = d.pop("status")

        subscribers = d.pop("subscribers")

        uptime_ms = d.pop("uptimeMs")

        version = d.pop("version")

        writer = WriterHealth.from_dict(d.pop("writer"))




        health_out = cls(
            counts=counts,
            database=database,
            ok=ok,
            status=status,
            subscribers=subscribers,
            uptime_ms=uptime_ms,
            version=version,
            writer=writer,
        )


        health_out.additional_properties = d
        return health_out

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
