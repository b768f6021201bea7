from typing import Literal

AgentCardKind = Literal['channel', 'orchestrator', 'provider', 'system', 'user']

AGENT_CARD_KIND_VALUES: set[AgentCardKind] = { 'channel', 'orchestrator', 'provider', 'system', 'user',  }

def check_agent_card_kind(value: str) -> AgentCardKind:
    if value in AGENT_CARD_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AGENT_CARD_KIND_VALUES!r}")
