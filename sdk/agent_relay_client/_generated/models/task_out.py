from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.task_out_severity import check_task_out_severity
from ..models.task_out_severity import TaskOutSeverity
from ..models.task_out_status import check_task_out_status
from ..models.task_out_status import TaskOutStatus
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.task_out_meta_type_0 import TaskOutMetaType0





T = TypeVar("T", bound="TaskOut")



@_attrs_define
class TaskOut:
    

    created_at: int
    external_id: str
    id: int
    severity: TaskOutSeverity
    source: str
    status: TaskOutStatus
    title: str
    updated_at: int
    body: None | str | Unset = UNSET
    callback_url: None | str | Unset = UNSET
    claim_expires_at: int | None | Unset = UNSET
    claimed_by: None | str | Unset = UNSET
    message_id: int | None | Unset = UNSET
    """ The task message sent to `target` """
    meta: None | TaskOutMetaType0 | Unset = UNSET
    note: None | str | Unset = UNSET
    target: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.task_out_meta_type_0 import TaskOutMetaType0 # noqa: PLC0415
        created_at = self.created_at

        external_id = self.external_id

        id = self.id

        severity: str = self.severity

        source = self.source

        status: str = self.status

        title = self.title

        updated_at = self.updated_at

        body: None | str | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        claim_expires_at: int | None | Unset
        if isinstance(self.claim_expires_at, Unset):
            claim_expires_at = UNSET
        else:
            claim_expires_at = self.claim_expires_at

        claimed_by: None | str | Unset
        if isinstance(self.claimed_by, Unset):
            claimed_by = UNSET
        else:
            claimed_by = self.claimed_by

        message_id: int | None | Unset
        if isinstance(self.message_id, Unset):
            message_id = UNSET
        else:
            message_id = self.message_id

        meta: dict[str, Any] | None | Unset
        if isinstance(self.meta, Unset):
            meta = UNSET
        elif isinstance(self.meta, TaskOutMetaType0):
            meta = self.meta.to_dict()
        else:
            meta = self.meta

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        target: None | str | Unset
        if isinstance(self.target, Unset):
            target = UNSET
        else:
            target = self.target


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "externalId": external_id,
            "id": id,
            "severity": severity,
            "source": source,
            "status": status,
            "title": title,
            "updatedAt": updated_at,
        })
        if body is not UNSET:
            field_dict["body"] = body
        if callback_url is not UNSET:
            field_dict["callbackUrl"] = callback_url
        if claim_expires_at is not UNSET:
            field_dict["claimExpiresAt"] = claim_expires_at
        if claimed_by is not UNSET:
            field_dict["claimedBy"] = claimed_by
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if meta is not UNSET:
            field_dict["meta"] = meta
        if note is not UNSET:
            field_dict["note"] = note
        if target is not UNSET:
            field_dict["target"] = target

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_out_meta_type_0 import TaskOutMetaType0 # noqa: PLC0415
        d = dict(src_dict)
        created_at = d.pop("createdAt")

        external_id = d.pop("externalId")

        id = d.pop("id")

        severity = check_task_out_severity(d.pop("severity"))




        source = d.pop("source")

        status = check_task_out_status(d.pop("status"))




        title = d.pop("title")

        updated_at = d.pop("updatedAt")

        def _parse_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        body = _parse_body(d.pop("body", UNSET))


        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callbackUrl", UNSET))


        def _parse_claim_expires_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        claim_expires_at = _parse_claim_expires_at(d.pop("claimExpiresAt", UNSET))


        def _parse_claimed_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        claimed_by = _parse_claimed_by(d.pop("claimedBy", UNSET))


        def _parse_message_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        message_id = _parse_message_id(d.pop("messageId", UNSET))


        def _parse_meta(data: object) -> None | TaskOutMetaType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                meta_type_0 = TaskOutMetaType0.from_dict(data)



                return meta_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskOutMetaType0 | Unset, data)

        meta = _parse_meta(d.pop("meta", UNSET))


        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))


        def _parse_target(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target = _parse_target(d.pop("target", UNSET))


        task_out = cls(
            created_at=created_at,
            external_id=external_id,
            id=id,
            severity=severity,
            source=source,
            status=status,
            title=title,
            updated_at=updated_at,
            body=body,
            callback_url=callback_url,
            claim_expires_at=claim_expires_at,
            claimed_by=claimed_by,
            message_id=message_id,
            meta=meta,
            note=note,
            target=target,
        )


        task_out.additional_properties = d
        return task_out

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
