from typing import Literal

RegisteredAgentOutKind = Literal['channel', 'orchestrator', 'provider', 'system', 'user']

REGISTERED_AGENT_OUT_KIND_VALUES: set[RegisteredAgentOutKind] = { 'channel', 'orchestrator', 'provider', 'system', 'user',  }

def check_registered_agent_out_kind(value: str) -> RegisteredAgentOutKind:
    if value in REGISTERED_AGENT_OUT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REGISTERED_AGENT_OUT_KIND_VALUES!r}")
