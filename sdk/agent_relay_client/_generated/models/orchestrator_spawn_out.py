from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.message_out import MessageOut





T = TypeVar("T", bound="OrchestratorSpawnOut")



@_attrs_define
class OrchestratorSpawnOut:
    

    message: MessageOut
    ok: bool
    orchestrator_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.message_out import MessageOut # noqa: PLC0415
        message = self.message.to_dict()

        ok = self.ok

        orchestrator_id = self.orchestrator_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "message": message,
            "ok": ok,
            "orchestratorId": orchestrator_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_out import MessageOut # noqa: PLC0415
        d = dict(src_dict)
        message = MessageOut.from_dict(d.pop("message"))




        ok = d.pop("ok")

        orchestrator_id = d.pop("orchestratorId")

        orchestrator_spawn_out = cls(
            message=message,
            ok=ok,
            orchestrator_id=orchestrator_id,
        )


        orchestrator_spawn_out.additional_properties = d
        return orchestrator_spawn_out

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
