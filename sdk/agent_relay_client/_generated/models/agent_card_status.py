from typing import Literal

AgentCardStatus = Literal['busy', 'idle', 'offline', 'online']

AGENT_CARD_STATUS_VALUES: set[AgentCardStatus] = { 'busy', 'idle', 'offline', 'online',  }

def check_agent_card_status(value: str) -> AgentCardStatus:
    if value in AGENT_CARD_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AGENT_CARD_STATUS_VALUES!r}")
