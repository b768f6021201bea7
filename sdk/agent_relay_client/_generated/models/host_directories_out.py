from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.host_directory import HostDirectory





T = TypeVar("T", bound="HostDirectoriesOut")



@_attrs_define
class HostDirectoriesOut:
    

    directories: list[HostDirectory]
    path: str
    root: str
    parent: None | str | Unset = UNSET
    """ null at the root """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.host_directory import HostDirectory # noqa: PLC0415
        directories = []
        for directories_item_data in self.directories:
            directories_item = directories_item_data.to_dict()
            directories.append(directories_item)



        path = self.path

        root = self.root

        parent: None | str | Unset
        if isinstance(self.parent, Unset):
            parent = UNSET
        else:
            parent = self.parent


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "directories": directories,
            "path": path,
            "root": root,
        })
        if parent is not UNSET:
            field_dict["parent"] = parent

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.host_directory import HostDirectory # noqa: PLC0415
        d = dict(src_dict)
        directories = []
        _directories = d.pop("directories")
        for directories_item_data in (_directories):
            directories_item = HostDirectory.from_dict(directories_item_data)



            directories.append(directories_item)


        path = d.pop("path")

        root = d.pop("root")

        def _parse_parent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent = _parse_parent(d.pop("parent", UNSET))


        host_directories_out = cls(
            directories=directories,
            path=path,
            root=root,
            parent=parent,
        )


        host_directories_out.additional_properties = d
        return host_directories_out

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
