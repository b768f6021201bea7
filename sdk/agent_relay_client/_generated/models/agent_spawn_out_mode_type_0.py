from typing import Literal

AgentSpawnOutModeType0 = Literal['process', 'tmux']

AGENT_SPAWN_OUT_MODE_TYPE_0_VALUES: set[AgentSpawnOutModeType0] = { 'process', 'tmux',  }

def check_agent_spawn_out_mode_type_0(value: str) -> AgentSpawnOutModeType0:
    if value in AGENT_SPAWN_OUT_MODE_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AGENT_SPAWN_OUT_MODE_TYPE_0_VALUES!r}")
