from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="SpawnCommand")



@_attrs_define
class SpawnCommand:
    

    agent_argv: list[str]
    """ The agent's own argv (codex command + approval flags) """
    argv: list[str]
    """ What is executed (tmux … or the agent argv itself) """
    cwd: str
    env_keys: list[str]
    """ Environment variables set for the agent (values not shown) """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        agent_argv = self.agent_argv



        argv = self.argv



        cwd = self.cwd

        env_keys = self.env_keys




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "agentArgv": agent_argv,
            "argv": argv,
            "cwd": cwd,
            "envKeys": env_keys,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agent_argv = cast(list[str], d.pop("agentArgv"))


        argv = cast(list[str], d.pop("argv"))


        cwd = d.pop("cwd")

        env_keys = cast(list[str], d.pop("envKeys"))


        spawn_command = cls(
            agent_argv=agent_argv,
            argv=argv,
            cwd=cwd,
            env_keys=env_keys,
        )


        spawn_command.additional_properties = d
        return spawn_command

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
