from typing import Literal

AgentRegisterKindType0 = Literal['channel', 'orchestrator', 'provider', 'system', 'user']

AGENT_REGISTER_KIND_TYPE_0_VALUES: set[AgentRegisterKindType0] = { 'channel', 'orchestrator', 'provider', 'system', 'user',  }

def check_agent_register_kind_type_0(value: str) -> AgentRegisterKindType0:
    if value in AGENT_REGISTER_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AGENT_REGISTER_KIND_TYPE_0_VALUES!r}")
