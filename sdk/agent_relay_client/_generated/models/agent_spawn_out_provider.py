from typing import Literal

AgentSpawnOutProvider = Literal['claude', 'codex']

AGENT_SPAWN_OUT_PROVIDER_VALUES: set[AgentSpawnOutProvider] = { 'claude', 'codex',  }

def check_agent_spawn_out_provider(value: str) -> AgentSpawnOutProvider:
    if value in AGENT_SPAWN_OUT_PROVIDER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AGENT_SPAWN_OUT_PROVIDER_VALUES!r}")
