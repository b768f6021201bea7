from typing import Literal

ManagedAgentInProvider = Literal['claude', 'codex']

MANAGED_AGENT_IN_PROVIDER_VALUES: set[ManagedAgentInProvider] = { 'claude', 'codex',  }

def check_managed_agent_in_provider(value: str) -> ManagedAgentInProvider:
    if value in MANAGED_AGENT_IN_PROVIDER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MANAGED_AGENT_IN_PROVIDER_VALUES!r}")
