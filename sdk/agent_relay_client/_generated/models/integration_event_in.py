from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.integration_event_in_severity_type_0 import check_integration_event_in_severity_type_0
from ..models.integration_event_in_severity_type_0 import IntegrationEventInSeverityType0
from ..models.integration_event_in_status_type_0 import check_integration_event_in_status_type_0
from ..models.integration_event_in_status_type_0 import IntegrationEventInStatusType0
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.integration_event_in_meta_type_0 import IntegrationEventInMetaType0





T = TypeVar("T", bound="IntegrationEventIn")



@_attrs_define
class IntegrationEventIn:
    

    external_id: str
    body: None | str | Unset = UNSET
    callback_url: None | str | Unset = UNSET
    meta: IntegrationEventInMetaType0 | None | Unset = UNSET
    severity: IntegrationEventInSeverityType0 | None | Unset = UNSET
    source: None | str | Unset = UNSET
    status: IntegrationEventInStatusType0 | None | Unset = UNSET
    target: None | str | Unset = UNSET
    title: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.integration_event_in_meta_type_0 import IntegrationEventInMetaType0 # noqa: PLC0415
        external_id = self.external_id

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

        meta: dict[str, Any] | None | Unset
        if isinstance(self.meta, Unset):
            meta = UNSET
        elif isinstance(self.meta, IntegrationEventInMetaType0):
            meta = self.meta.to_dict()
        else:
            meta = self.meta

        severity: None | str | Unset
        if isinstance(self.severity, Unset):
            severity = UNSET
        elif isinstance(self.severity, str):
            severity = self.severity
        else:
            severity = self.severity

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, str):
            status = self.status
        else:
            status = self.status

        target: None | str | Unset
        if isinstance(self.target, Unset):
            target = UNSET
        else:
            target = self.target

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "externalId": external_id,
        })
        if body is not UNSET:
            field_dict["body"] = body
        if callback_url is not UNSET:
            field_dict["callbackUrl"] = callback_url
        if meta is not UNSET:
            field_dict["meta"] = meta
        if severity is not UNSET:
            field_dict["severity"] = severity
        if source is not UNSET:
            field_dict["source"] = source
        if status is not UNSET:
            field_dict["status"] = status
        if target is not UNSET:
            field_dict["target"] = target
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.integration_event_in_meta_type_0 import IntegrationEventInMetaType0 # noqa: PLC0415
        d = dict(src_dict)
        external_id = d.pop("externalId")

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


        def _parse_meta(data: object) -> IntegrationEventInMetaType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                meta_type_0 = IntegrationEventInMetaType0.from_dict(data)



                return meta_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IntegrationEventInMetaType0 | None | Unset, data)

        meta = _parse_meta(d.pop("meta", UNSET))


        def _parse_severity(data: object) -> IntegrationEventInSeverityType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                severity_type_0 = check_integration_event_in_severity_type_0(data)



                return severity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IntegrationEventInSeverityType0 | None | Unset, data)

        severity = _parse_severity(d.pop("severity", UNSET))


        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))


        def _parse_status(data: object) -> IntegrationEventInStatusType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = check_integration_event_in_status_type_0(data)



                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IntegrationEventInStatusType0 | None | Unset, data)

        status = _parse_status(d.pop("status", UNSET))


        def _parse_target(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target = _parse_target(d.pop("target", UNSET))


        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))


        integration_event_in = cls(
            external_id=external_id,
            body=body,
            callback_url=callback_url,
            meta=meta,
            severity=severity,
            source=source,
            status=status,
            target=target,
            title=title,
        )


        integration_event_in.additional_properties = d
        return integration_event_in

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
