from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.orchestrator_out_providers_item import check_orchestrator_out_providers_item
from ..models.orchestrator_out_providers_item import OrchestratorOutProvidersItem
from ..models.orchestrator_out_status import check_orchestrator_out_status
from ..models.orchestrator_out_status import OrchestratorOutStatus
from typing import cast

if TYPE_CHECKING:
  from ..models.managed_agent import ManagedAgent
  from ..models.orchestrator_out_meta import OrchestratorOutMeta





T = TypeVar("T", bound="OrchestratorOut")



@_attrs_define
class OrchestratorOut:
    

    agent_id: str
    """ The orchestrator's inbox agent (kind orchestrator) """
    base_dir: str
    created_at: int
    env_keys: list[str]
    hostname: str
    id: str
    last_heartbeat: int
    managed_agents: list[ManagedAgent]
    meta: OrchestratorOutMeta
    providers: list[OrchestratorOutProvidersItem]
    status: OrchestratorOutStatus
    updated_at: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.managed_agent import ManagedAgent # noqa: PLC0415
        from ..models.orchestrator_out_meta import OrchestratorOutMeta # noqa: PLC0415
        agent_id = self.agent_id

        base_dir = self.base_dir

        created_at = self.created_at

        env_keys = self.env_keys



        hostname = self.hostname

        id = self.id

        last_heartbeat = self.last_heartbeat

        managed_agents = []
        for managed_agents_item_data in self.managed_agents:
            managed_agents_item = managed_agents_item_data.to_dict()
            managed_agents.append(managed_agents_item)



        meta = self.meta.to_dict()

        providers = []
        for providers_item_data in self.providers:
            providers_item: str = providers_item_data
            providers.append(providers_item)



        status: str = self.status

        updated_at = self.updated_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "agentId": agent_id,
            "baseDir": base_dir,
            "createdAt": created_at,
            "envKeys": env_keys,
            "hostname": hostname,
            "id": id,
            "lastHeartbeat": last_heartbeat,
            "managedAgents": managed_agents,
            "meta": meta,
            "providers": providers,
            "status": status,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.managed_agent import ManagedAgent # noqa: PLC0415
        from ..models.orchestrator_out_meta import OrchestratorOutMeta # noqa: PLC0415
        d = dict(src_dict)
        agent_id = d.pop("agentId")

        base_dir = d.pop("baseDir")

        created_at = d.pop("createdAt")

        env_keys = cast(list[str], d.pop("envKeys"))


        hostname = d.pop("hostname")

        id = d.pop("id")

        last_heartbeat = d.pop("lastHeartbeat")

        managed_agents = []
        _managed_agents = d.pop("managedAgents")
        for managed_agents_item_data in (_managed_agents):
            managed_agents_item = ManagedAgent.from_dict(managed_agents_item_data)



            managed_agents.append(managed_agents_item)


        meta = OrchestratorOutMeta.from_dict(d.pop("meta"))




        providers = []
        _providers = d.pop("providers")
        for providers_item_data in (_providers):
            providers_item = check_orchestrator_out_providers_item(providers_item_data)



            providers.append(providers_item)


        status = check_orchestrator_out_status(d.pop("status"))




        updated_at = d.pop("updatedAt")

        orchestrator_out = cls(
            agent_id=agent_id,
            base_dir=base_dir,
            created_at=created_at,
            env_keys=env_keys,
            hostname=hostname,
            id=id,
            last_heartbeat=last_heartbeat,
            managed_agents=managed_agents,
            meta=meta,
            providers=providers,
            status=status,
            updated_at=updated_at,
        )


        orchestrator_out.additional_properties = d
        return orchestrator_out

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
