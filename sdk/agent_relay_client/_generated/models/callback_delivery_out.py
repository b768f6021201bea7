from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.callback_delivery_out_status import CallbackDeliveryOutStatus
from ..models.callback_delivery_out_status import check_callback_delivery_out_status
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.callback_attempt_out import CallbackAttemptOut





T = TypeVar("T", bound="CallbackDeliveryOut")



@_attrs_define
class CallbackDeliveryOut:
    

    attempt_count: int
    attempts: list[CallbackAttemptOut]
    created_at: int
    event: str
    id: int
    status: CallbackDeliveryOutStatus
    task_id: int
    updated_at: int
    url: str
    delivered_at: int | None | Unset = UNSET
    last_error: None | str | Unset = UNSET
    last_status_code: int | None | Unset = UNSET
    next_attempt_at: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.callback_attempt_out import CallbackAttemptOut # noqa: PLC0415
        attempt_count = self.attempt_count

        attempts = []
        for attempts_item_data in self.attempts:
            attempts_item = attempts_item_data.to_dict()
            attempts.append(attempts_item)



        created_at = self.created_at

        event = self.event

        id = self.id

        status: str = self.status

        task_id = self.task_id

        updated_at = self.updated_at

        url = self.url

        delivered_at: int | None | Unset
        if isinstance(self.delivered_at, Unset):
            delivered_at = UNSET
        else:
            delivered_at = self.delivered_at

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        last_status_code: int | None | Unset
        if isinstance(self.last_status_code, Unset):
            last_status_code = UNSET
        else:
            last_status_code = self.last_status_code

        next_attempt_at: int | None | Unset
        if isinstance(self.next_attempt_at, Unset):
            next_attempt_at = UNSET
        else:
            next_attempt_at = self.next_attempt_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attemptCount": attempt_count,
            "attempts": attempts,
            "createdAt": created_at,
            "event": event,
            "id": id,
            "status": status,
            "taskId": task_id,
            "updatedAt": updated_at,
            "url": url,
        })
        if delivered_at is not UNSET:
            field_dict["deliveredAt"] = delivered_at
        if last_error is not UNSET:
            field_dict["lastError"] = last_error
        if last_status_code is not UNSET:
            field_dict["lastStatusCode"] = last_status_code
        if next_attempt_at is not UNSET:
            field_dict["nextAttemptAt"] = next_attempt_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.callback_attempt_out import CallbackAttemptOut # noqa: PLC0415
        d = dict(src_dict)
        attempt_count = d.pop("attemptCount")

        attempts = []
        _attempts = d.pop("attempts")
        for attempts_item_data in (_attempts):
            attempts_item = CallbackAttemptOut.from_dict(attempts_item_data)



            attempts.append(attempts_item)


        created_at = d.pop("createdAt")

        event = d.pop("event")

        id = d.pop("id")

        status = check_callback_delivery_out_status(d.pop("status"))




        task_id = d.pop("taskId")

        updated_at = d.pop("updatedAt")

        url = d.pop("url")

        def _parse_delivered_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        delivered_at = _parse_delivered_at(d.pop("deliveredAt", UNSET))


        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("lastError", UNSET))


        def _parse_last_status_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_status_code = _parse_last_status_code(d.pop("lastStatusCode", UNSET))


        def _parse_next_attempt_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("nextAttemptAt", UNSET))


        callback_delivery_out = cls(
            attempt_count=attempt_count,
            attempts=attempts,
            created_at=created_at,
            event=event,
            id=id,
            status=status,
            task_id=task_id,
            updated_at=updated_at,
            url=url,
            delivered_at=delivered_at,
            last_error=last_error,
            last_status_code=last_status_code,
            next_attempt_at=next_attempt_at,
        )


        callback_delivery_out.additional_properties = d
        return callback_delivery_out

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
