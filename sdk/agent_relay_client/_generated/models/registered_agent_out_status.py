from typing import Literal

RegisteredAgentOutStatus = Literal['busy', 'idle', 'offline', 'online']

REGISTERED_AGENT_OUT_STATUS_VALUES: set[RegisteredAgentOutStatus] = { 'busy', 'idle', 'offline', 'online',  }

def check_registered_agent_out_status(value: str) -> RegisteredAgentOutStatus:
    if value in REGISTERED_AGENT_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REGISTERED_AGENT_OUT_STATUS_VALUES!r}")
