from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.orchestrator_register_meta_type_0 import OrchestratorRegisterMetaType0





T = TypeVar("T", bound="OrchestratorRegister")



@_attrs_define
class OrchestratorRegister:
    

    base_dir: str
    hostname: str
    id: str
    env_keys: list[str] | None | Unset = UNSET
    meta: None | OrchestratorRegisterMetaType0 | Unset = UNSET
    providers: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.orchestrator_register_meta_type_0 import OrchestratorRegisterMetaType0 # noqa: PLC0415
        base_dir = self.base_dir

        hostname = self.hostname

        id = self.id

        env_keys: list[str] | None | Unset
        if isinstance(self.env_keys, Unset):
            env_keys = UNSET
        elif isinstance(self.env_keys, list):
            env_keys = self.env_keys


        else:
            env_keys = self.env_keys

        meta: dict[str, Any] | None | Unset
        if isinstance(self.meta, Unset):
            meta = UNSET
        elif isinstance(self.meta, OrchestratorRegisterMetaType0):
            meta = self.meta.to_dict()
        else:
            meta = self.meta

        providers: list[str] | None | Unset
        if isinstance(self.providers, Unset):
            providers = UNSET
        elif isinstance(self.providers, list):
            providers = self.providers


        else:
            providers = self.providers


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "baseDir": base_dir,
            "hostname": hostname,
            "id": id,
        })
        if env_keys is not UNSET:
            field_dict["envKeys"] = env_keys
        if meta is not UNSET:
            field_dict["meta"] = meta
        if providers is not UNSET:
            field_dict["providers"] = providers

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.orchestrator_register_meta_type_0 import OrchestratorRegisterMetaType0 # noqa: PLC0415
        d = dict(src_dict)
        base_dir = d.pop("baseDir")

        hostname = d.pop("hostname")

        id = d.pop("id")

        def _parse_env_keys(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                env_keys_type_0 = cast(list[str], data)

                return env_keys_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        env_keys = _parse_env_keys(d.pop("envKeys", UNSET))


        def _parse_meta(data: object) -> None | OrchestratorRegisterMetaType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                meta_type_0 = OrchestratorRegisterMetaType0.from_dict(data)



                return meta_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OrchestratorRegisterMetaType0 | Unset, data)

        meta = _parse_meta(d.pop("meta", UNSET))


        def _parse_providers(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                providers_type_0 = cast(list[str], data)

                return providers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        providers = _parse_providers(d.pop("providers", UNSET))


        orchestrator_register = cls(
            base_dir=base_dir,
            hostname=hostname,
            id=id,
            env_keys=env_keys,
            meta=meta,
            providers=providers,
        )


        orchestrator_register.additional_properties = d
        return orchestrator_register

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
