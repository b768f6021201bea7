from typing import Literal

AgentRegisterStatusType0 = Literal['busy', 'idle', 'offline', 'online']

AGENT_REGISTER_STATUS_TYPE_0_VALUES: set[AgentRegisterStatusType0] = { 'busy', 'idle', 'offline', 'online',  }

def check_agent_register_status_type_0(value: str) -> AgentRegisterStatusType0:
    if value in AGENT_REGISTER_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AGENT_REGISTER_STATUS_TYPE_0_VALUES!r}")
