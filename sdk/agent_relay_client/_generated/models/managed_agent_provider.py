from typing import Literal

ManagedAgentProvider = Literal['claude', 'codex']

MANAGED_AGENT_PROVIDER_VALUES: set[ManagedAgentProvider] = { 'claude', 'codex',  }

def check_managed_agent_provider(value: str) -> ManagedAgentProvider:
    if value in MANAGED_AGENT_PROVIDER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MANAGED_AGENT_PROVIDER_VALUES!r}")
