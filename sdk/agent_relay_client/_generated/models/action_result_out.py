from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.action_result_out_action import ActionResultOutAction
from ..models.action_result_out_action import check_action_result_out_action
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.process_status import ProcessStatus





T = TypeVar("T", bound="ActionResultOut")



@_attrs_define
class ActionResultOut:
    

    action: ActionResultOutAction
    duration_ms: int
    ok: bool
    output: str
    at: int | None | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    exit_code: int | None | Unset = UNSET
    process: None | ProcessStatus | Unset = UNSET
    timed_out: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.process_status import ProcessStatus # noqa: PLC0415
        action: str = self.action

        duration_ms = self.duration_ms

        ok = self.ok

        output = self.output

        at: int | None | Unset
        if isinstance(self.at, Unset):
            at = UNSET
        else:
            at = self.at

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        exit_code: int | None | Unset
        if isinstance(self.exit_code, Unset):
            exit_code = UNSET
        else:
            exit_code = self.exit_code

        process: dict[str, Any] | None | Unset
        if isinstance(self.process, Unset):
            process = UNSET
        elif isinstance(self.process, ProcessStatus):
            process = self.process.to_dict()
        else:
            process = self.process

        timed_out = self.timed_out


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "action": action,
            "durationMs": duration_ms,
            "ok": ok,
            "output": output,
        })
        if at is not UNSET:
            field_dict["at"] = at
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if exit_code is not UNSET:
            field_dict["exitCode"] = exit_code
        if process is not UNSET:
            field_dict["process"] = process
        if timed_out is not UNSET:
            field_dict["timedOut"] = timed_out

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.process_status import ProcessStatus # noqa: PLC0415
        d = dict(src_dict)
        action = check_action_result_out_action(d.pop("action"))




        duration_ms = d.pop("durationMs")

        ok = d.pop("ok")

        output = d.pop("output")

        def _parse_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        at = _parse_at(d.pop("at", UNSET))


        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))


        def _parse_exit_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        exit_code = _parse_exit_code(d.pop("exitCode", UNSET))


        def _parse_process(data: object) -> None | ProcessStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                process_type_0 = ProcessStatus.from_dict(data)



                return process_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessStatus | Unset, data)

        process = _parse_process(d.pop("process", UNSET))


        timed_out = d.pop("timedOut", UNSET)

        action_result_out = cls(
            action=action,
            duration_ms=duration_ms,
            ok=ok,
            output=output,
            at=at,
            enabled=enabled,
            exit_code=exit_code,
            process=process,
            timed_out=timed_out,
        )


        action_result_out.additional_properties = d
        return action_result_out

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
