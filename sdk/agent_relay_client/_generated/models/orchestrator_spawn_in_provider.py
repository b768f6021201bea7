from typing import Literal

OrchestratorSpawnInProvider = Literal['claude', 'codex']

ORCHESTRATOR_SPAWN_IN_PROVIDER_VALUES: set[OrchestratorSpawnInProvider] = { 'claude', 'codex',  }

def check_orchestrator_spawn_in_provider(value: str) -> OrchestratorSpawnInProvider:
    if value in ORCHESTRATOR_SPAWN_IN_PROVIDER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORCHESTRATOR_SPAWN_IN_PROVIDER_VALUES!r}")
