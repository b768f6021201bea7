from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.pair_message_in_meta_type_0 import PairMessageInMetaType0
  from ..models.pair_message_in_payload_type_0 import PairMessageInPayloadType0





T = TypeVar("T", bound="PairMessageIn")



@_attrs_define
class PairMessageIn:
    

    body: str
    from_: str
    epoch: int | None | Unset = UNSET
    instance_id: None | str | Unset = UNSET
    meta: None | PairMessageInMetaType0 | Unset = UNSET
    payload: None | PairMessageInPayloadType0 | Unset = UNSET
    subject: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.pair_message_in_meta_type_0 import PairMessageInMetaType0 # noqa: PLC0415
        from ..models.pair_message_in_payload_type_0 import PairMessageInPayloadType0 # noqa: PLC0415
        body = self.body

        from_ = self.from_

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

        meta: dict[str, Any] | None | Unset
        if isinstance(self.meta, Unset):
            meta = UNSET
        elif isinstance(self.meta, PairMessageInMetaType0):
            meta = self.meta.to_dict()
        else:
            meta = self.meta

        payload: dict[str, Any] | None | Unset
        if isinstance(self.payload, Unset):
            payload = UNSET
        elif isinstance(self.payload, PairMessageInPayloadType0):
            payload = self.payload.to_dict()
        else:
            payload = self.payload

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "from": from_,
        })
        if epoch is not UNSET:
            field_dict["epoch"] = epoch
        if instance_id is not UNSET:
            field_dict["instanceId"] = instance_id
        if meta is not UNSET:
            field_dict["meta"] = meta
        if payload is not UNSET:
            field_dict["payload"] = payload
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pair_message_in_meta_type_0 import PairMessageInMetaType0 # noqa: PLC0415
        from ..models.pair_message_in_payload_type_0 import PairMessageInPayloadType0 # noqa: PLC0415
        d = dict(src_dict)
        body = d.pop("body")

        from_ = d.pop("from")

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


        def _parse_meta(data: object) -> None | PairMessageInMetaType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                meta_type_0 = PairMessageInMetaType0.from_dict(data)



                return meta_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PairMessageInMetaType0 | Unset, data)

        meta = _parse_meta(d.pop("meta", UNSET))


        def _parse_payload(data: object) -> None | PairMessageInPayloadType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_type_0 = PairMessageInPayloadType0.from_dict(data)



                return payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PairMessageInPayloadType0 | Unset, data)

        payload = _parse_payload(d.pop("payload", UNSET))


        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))


        pair_message_in = cls(
            body=body,
            from_=from_,
            epoch=epoch,
            instance_id=instance_id,
            meta=meta,
            payload=payload,
            subject=subject,
        )


        pair_message_in.additional_properties = d
        return pair_message_in

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
