from typing import Literal

AgentSpawnInProvider = Literal['claude', 'codex']

AGENT_SPAWN_IN_PROVIDER_VALUES: set[AgentSpawnInProvider] = { 'claude', 'codex',  }

def check_agent_spawn_in_provider(value: str) -> AgentSpawnInProvider:
    if value in AGENT_SPAWN_IN_PROVIDER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AGENT_SPAWN_IN_PROVIDER_VALUES!r}")
