from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.process_status_last_exit_type_0 import ProcessStatusLastExitType0





T = TypeVar("T", bound="ProcessStatus")



@_attrs_define
class ProcessStatus:
    

    running: bool
    supervised: bool
    """ The relay is keeping this connector's process alive """
    last_exit: None | ProcessStatusLastExitType0 | Unset = UNSET
    """ {code, at, ranMs} of the last crash """
    next_restart_at: int | None | Unset = UNSET
    pid: int | None | Unset = UNSET
    restarts: int | Unset = 0
    started_at: int | None | Unset = UNSET
    uptime_ms: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.process_status_last_exit_type_0 import ProcessStatusLastExitType0 # noqa: PLC0415
        running = self.running

        supervised = self.supervised

        last_exit: dict[str, Any] | None | Unset
        if isinstance(self.last_exit, Unset):
            last_exit = UNSET
        elif isinstance(self.last_exit, ProcessStatusLastExitType0):
            last_exit = self.last_exit.to_dict()
        else:
            last_exit = self.last_exit

        next_restart_at: int | None | Unset
        if isinstance(self.next_restart_at, Unset):
            next_restart_at = UNSET
        else:
            next_restart_at = self.next_restart_at

        pid: int | None | Unset
        if isinstance(self.pid, Unset):
            pid = UNSET
        else:
            pid = self.pid

        restarts = self.restarts

        started_at: int | None | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        else:
            started_at = self.started_at

        uptime_ms: int | None | Unset
        if isinstance(self.uptime_ms, Unset):
            uptime_ms = UNSET
        else:
            uptime_ms = self.uptime_ms


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "running": running,
            "supervised": supervised,
        })
        if last_exit is not UNSET:
            field_dict["lastExit"] = last_exit
        if next_restart_at is not UNSET:
            field_dict["nextRestartAt"] = next_restart_at
        if pid is not UNSET:
            field_dict["pid"] = pid
        if restarts is not UNSET:
            field_dict["restarts"] = restarts
        if started_at is not UNSET:
            field_dict["startedAt"] = started_at
        if uptime_ms is not UNSET:
            field_dict["uptimeMs"] = uptime_ms

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.process_status_last_exit_type_0 import ProcessStatusLastExitType0 # noqa: PLC0415
        d = dict(src_dict)
        running = d.pop("running")

        supervised = d.pop("supervised")

        def _parse_last_exit(data: object) -> None | ProcessStatusLastExitType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_exit_type_0 = ProcessStatusLastExitType0.from_dict(data)



                return last_exit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessStatusLastExitType0 | Unset, data)

        last_exit = _parse_last_exit(d.pop("lastExit", UNSET))


        def _parse_next_restart_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        next_restart_at = _parse_next_restart_at(d.pop("nextRestartAt", UNSET))


        def _parse_pid(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pid = _parse_pid(d.pop("pid", UNSET))


        restarts = d.pop("restarts", UNSET)

        def _parse_started_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        started_at = _parse_started_at(d.pop("startedAt", UNSET))


        def _parse_uptime_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        uptime_ms = _parse_uptime_ms(d.pop("uptimeMs", UNSET))


        process_status = cls(
            running=running,
            supervised=supervised,
            last_exit=last_exit,
            next_restart_at=next_restart_at,
            pid=pid,
            restarts=restarts,
            started_at=started_at,
            uptime_ms=uptime_ms,
        )


        process_status.additional_properties = d
        return process_status

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
