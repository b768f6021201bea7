from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.bind_channel_body_target_type_1_type import BindChannelBodyTargetType1Type
from ..models.bind_channel_body_target_type_1_type import check_bind_channel_body_target_type_1_type
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BindChannelBodyTargetType1")



@_attrs_define
class BindChannelBodyTargetType1:
    

    type_: BindChannelBodyTargetType1Type
    id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        id = self.id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
        })
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = check_bind_channel_body_target_type_1_type(d.pop("type"))




        id = d.pop("id", UNSET)

        bind_channel_body_target_type_1 = cls(
            type_=type_,
            id=id,
        )


        bind_channel_body_target_type_1.additional_properties = d
        return bind_channel_body_target_type_1

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
