from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.activity_in_metadata_type_0 import ActivityInMetadataType0





T = TypeVar("T", bound="ActivityIn")



@_attrs_define
class ActivityIn:
    

    kind: str
    title: str
    agent_id: None | str | Unset = UNSET
    body: None | str | Unset = UNSET
    client_id: None | str | Unset = UNSET
    """ Makes the post idempotent: a repeat returns the first event """
    icon: None | str | Unset = UNSET
    message_id: int | None | Unset = UNSET
    meta: None | str | Unset = UNSET
    metadata: ActivityInMetadataType0 | None | Unset = UNSET
    view: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.activity_in_metadata_type_0 import ActivityInMetadataType0 # noqa: PLC0415
        kind = self.kind

        title = self.title

        agent_id: None | str | Unset
        if isinstance(self.agent_id, Unset):
            agent_id = UNSET
        else:
            agent_id = self.agent_id

        body: None | str | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        client_id: None | str | Unset
        if isinstance(self.client_id, Unset):
            client_id = UNSET
        else:
            client_id = self.client_id

        icon: None | str | Unset
        if isinstance(self.icon, Unset):
            icon = UNSET
        else:
            icon = self.icon

        message_id: int | None | Unset
        if isinstance(self.message_id, Unset):
            message_id = UNSET
        else:
            message_id = self.message_id

        meta: None | str | Unset
        if isinstance(self.meta, Unset):
            meta = UNSET
        else:
            meta = self.meta

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, ActivityInMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        view: None | str | Unset
        if isinstance(self.view, Unset):
            view = UNSET
        else:
            view = self.view


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "title": title,
        })
        if agent_id is not UNSET:
            field_dict["agentId"] = agent_id
        if body is not UNSET:
            field_dict["body"] = body
        if client_id is not UNSET:
            field_dict["clientId"] = client_id
        if icon is not UNSET:
            field_dict["icon"] = icon
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if meta is not UNSET:
            field_dict["meta"] = meta
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if view is not UNSET:
            field_dict["view"] = view

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.activity_in_metadata_type_0 import ActivityInMetadataType0 # noqa: PLC0415
        d = dict(src_dict)
        kind = d.pop("kind")

        title = d.pop("title")

        def _parse_agent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agent_id = _parse_agent_id(d.pop("agentId", UNSET))


        def _parse_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        body = _parse_body(d.pop("body", UNSET))


        def _parse_client_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_id = _parse_client_id(d.pop("clientId", UNSET))


        def _parse_icon(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        icon = _parse_icon(d.pop("icon", UNSET))


        def _parse_message_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        message_id = _parse_message_id(d.pop("messageId", UNSET))


        def _parse_meta(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        meta = _parse_meta(d.pop("meta", UNSET))


        def _parse_metadata(data: object) -> ActivityInMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = ActivityInMetadataType0.from_dict(data)



                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActivityInMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))


        def _parse_view(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        view = _parse_view(d.pop("view", UNSET))


        activity_in = cls(
            kind=kind,
            title=title,
            agent_id=agent_id,
            body=body,
            client_id=client_id,
            icon=icon,
            message_id=message_id,
            meta=meta,
            metadata=metadata,
            view=view,
        )


        activity_in.additional_properties = d
        return activity_in

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
