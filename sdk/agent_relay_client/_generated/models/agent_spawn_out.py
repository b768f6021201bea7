from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.agent_spawn_out_mode_type_0 import AgentSpawnOutModeType0
from ..models.agent_spawn_out_mode_type_0 import check_agent_spawn_out_mode_type_0
from ..models.agent_spawn_out_provider import AgentSpawnOutProvider
from ..models.agent_spawn_out_provider import check_agent_spawn_out_provider
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.message_out import MessageOut
  from ..models.spawn_command import SpawnCommand





T = TypeVar("T", bound="AgentSpawnOut")



@_attrs_define
class AgentSpawnOut:
    """ 202. Via an orchestrator: `orchestratorId`, `provider`, `message`. Direct (codex on
    the relay host): `direct`, `dryRun`, `mode`, `command`, and `tmuxSession` or `pid`.

     """

    ok: bool
    provider: AgentSpawnOutProvider
    command: None | SpawnCommand | Unset = UNSET
    cwd: None | str | Unset = UNSET
    direct: bool | Unset = False
    dry_run: bool | Unset = False
    message: MessageOut | None | Unset = UNSET
    mode: AgentSpawnOutModeType0 | None | Unset = UNSET
    orchestrator_id: None | str | Unset = UNSET
    pid: int | None | Unset = UNSET
    tmux_session: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.message_out import MessageOut # noqa: PLC0415
        from ..models.spawn_command import SpawnCommand # noqa: PLC0415
        ok = self.ok

        provider: str = self.provider

        command: dict[str, Any] | None | Unset
        if isinstance(self.command, Unset):
            command = UNSET
        elif isinstance(self.command, SpawnCommand):
            command = self.command.to_dict()
        else:
            command = self.command

        cwd: None | str | Unset
        if isinstance(self.cwd, Unset):
            cwd = UNSET
        else:
            cwd = self.cwd

        direct = self.direct

        dry_run = self.dry_run

        message: dict[str, Any] | None | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        elif isinstance(self.message, MessageOut):
            message = self.message.to_dict()
        else:
            message = self.message

        mode: None | str | Unset
        if isinstance(self.mode, Unset):
            mode = UNSET
        elif isinstance(self.mode, str):
            mode = self.mode
        else:
            mode = self.mode

        orchestrator_id: None | str | Unset
        if isinstance(self.orchestrator_id, Unset):
            orchestrator_id = UNSET
        else:
            orchestrator_id = self.orchestrator_id

        pid: int | None | Unset
        if isinstance(self.pid, Unset):
            pid = UNSET
        else:
            pid = self.pid

        tmux_session: None | str | Unset
        if isinstance(self.tmux_session, Unset):
            tmux_session = UNSET
        else:
            tmux_session = self.tmux_session


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ok": ok,
            "provider": provider,
        })
        if command is not UNSET:
            field_dict["command"] = command
        if cwd is not UNSET:
            field_dict["cwd"] = cwd
        if direct is not UNSET:
            field_dict["direct"] = direct
        if dry_run is not UNSET:
            field_dict["dryRun"] = dry_run
        if message is not UNSET:
            field_dict["message"] = message
        if mode is not UNSET:
            field_dict["mode"] = mode
        if orchestrator_id is not UNSET:
            field_dict["orchestratorId"] = orchestrator_id
        if pid is not UNSET:
            field_dict["pid"] = pid
        if tmux_session is not UNSET:
            field_dict["tmuxSession"] = tmux_session

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_out import MessageOut # noqa: PLC0415
        from ..models.spawn_command import SpawnCommand # noqa: PLC0415
        d = dict(src_dict)
        ok = d.pop("ok")

        provider = check_agent_spawn_out_provider(d.pop("provider"))




        def _parse_command(data: object) -> None | SpawnCommand | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                command_type_0 = SpawnCommand.from_dict(data)



                return command_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SpawnCommand | Unset, data)

        command = _parse_command(d.pop("command", UNSET))


        def _parse_cwd(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cwd = _parse_cwd(d.pop("cwd", UNSET))


        direct = d.pop("direct", UNSET)

        dry_run = d.pop("dryRun", UNSET)

        def _parse_message(data: object) -> MessageOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                message_type_0 = MessageOut.from_dict(data)



                return message_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MessageOut | None | Unset, data)

        message = _parse_message(d.pop("message", UNSET))


        def _parse_mode(data: object) -> AgentSpawnOutModeType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                mode_type_0 = check_agent_spawn_out_mode_type_0(data)



                return mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentSpawnOutModeType0 | None | Unset, data)

        mode = _parse_mode(d.pop("mode", UNSET))


        def _parse_orchestrator_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        orchestrator_id = _parse_orchestrator_id(d.pop("orchestratorId", UNSET))


        def _parse_pid(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pid = _parse_pid(d.pop("pid", UNSET))


        def _parse_tmux_session(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tmux_session = _parse_tmux_session(d.pop("tmuxSession", UNSET))


        agent_spawn_out = cls(
            ok=ok,
            provider=provider,
            command=command,
            cwd=cwd,
            direct=direct,
            dry_run=dry_run,
            message=message,
            mode=mode,
            orchestrator_id=orchestrator_id,
            pid=pid,
            tmux_session=tmux_session,
        )


        agent_spawn_out.additional_properties = d
        return agent_spawn_out

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
