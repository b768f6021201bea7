from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.action_result_out import ActionResultOut
  from ..models.connector_out_config import ConnectorOutConfig
  from ..models.connector_out_manifest import ConnectorOutManifest
  from ..models.connector_out_state import ConnectorOutState
  from ..models.process_status import ProcessStatus





T = TypeVar("T", bound="ConnectorOut")



@_attrs_define
class ConnectorOut:
    

    config: ConnectorOutConfig
    """ The config; secret properties read back as "********" """
    created_at: int
    description: str
    enabled: bool
    id: str
    manifest: ConnectorOutManifest
    """ The manifest as registered """
    name: str
    process: ProcessStatus
    running: bool
    state: ConnectorOutState
    updated_at: int
    version: str
    channel_type: None | str | Unset = UNSET
    last_action: ActionResultOut | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.action_result_out import ActionResultOut # noqa: PLC0415
        from ..models.connector_out_config import ConnectorOutConfig # noqa: PLC0415
        from ..models.connector_out_manifest import ConnectorOutManifest # noqa: PLC0415
        from ..models.connector_out_state import ConnectorOutState # noqa: PLC0415
        from ..models.process_status import ProcessStatus # noqa: PLC0415
        config = self.config.to_dict()

        created_at = self.created_at

        description = self.description

        enabled = self.enabled

        id = self.id

        manifest = self.manifest.to_dict()

        name = self.name

        process = self.process.to_dict()

        running = self.running

        state = self.state.to_dict()

        updated_at = self.updated_at

        version = self.version

        channel_type: None | str | Unset
        if isinstance(self.channel_type, Unset):
            channel_type = UNSET
        else:
            channel_type = self.channel_type

        last_action: dict[str, Any] | None | Unset
        if isinstance(self.last_action, Unset):
            last_action = UNSET
        elif isinstance(self.last_action, ActionResultOut):
            last_action = self.last_action.to_dict()
        else:
            last_action = self.last_action


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "config": config,
            "createdAt": created_at,
            "description": description,
            "enabled": enabled,
            "id": id,
            "manifest": manifest,
            "name": name,
            "process": process,
            "running": running,
            "state": state,
            "updatedAt": updated_at,
            "version": version,
        })
        if channel_type is not UNSET:
            field_dict["channelType"] = channel_type
        if last_action is not UNSET:
            field_dict["lastAction"] = last_action

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.action_result_out import ActionResultOut # noqa: PLC0415
        from ..models.connector_out_config import ConnectorOutConfig # noqa: PLC0415
        from ..models.connector_out_manifest import ConnectorOutManifest # noqa: PLC0415
        from ..models.connector_out_state import ConnectorOutState # noqa: PLC0415
        from ..models.process_status import ProcessStatus # noqa: PLC0415
        d = dict(src_dict)
        config = ConnectorOutConfig.from_dict(d.pop("config"))




        created_at = d.pop("createdAt")

        description = d.pop("description")

        enabled = d.pop("enabled")

        id = d.pop("id")

        manifest = ConnectorOutManifest.from_dict(d.pop("manifest"))




        name = d.pop("name")

        process = ProcessStatus.from_dict(d.pop("process"))




        running = d.pop("running")

        state = ConnectorOutState.from_dict(d.pop("state"))




        updated_at = d.pop("updatedAt")

        version = d.pop("version")

        def _parse_channel_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel_type = _parse_channel_type(d.pop("channelType", UNSET))


        def _parse_last_action(data: object) -> ActionResultOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_action_type_0 = ActionResultOut.from_dict(data)



                return last_action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActionResultOut | None | Unset, data)

        last_action = _parse_last_action(d.pop("lastAction", UNSET))


        connector_out = cls(
            config=config,
            created_at=created_at,
            description=description,
            enabled=enabled,
            id=id,
            manifest=manifest,
            name=name,
            process=process,
            running=running,
            state=state,
            updated_at=updated_at,
            version=version,
            channel_type=channel_type,
            last_action=last_action,
        )


        connector_out.additional_properties = d
        return connector_out

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
