from typing import Literal

AgentActionInAction = Literal['restart', 'shutdown']

AGENT_ACTION_IN_ACTION_VALUES: set[AgentActionInAction] = { 'restart', 'shutdown',  }

def check_agent_action_in_action(value: str) -> AgentActionInAction:
    if value in AGENT_ACTION_IN_ACTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AGENT_ACTION_IN_ACTION_VALUES!r}")
