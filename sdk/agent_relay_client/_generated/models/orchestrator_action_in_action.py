from typing import Literal

OrchestratorActionInAction = Literal['restart', 'shutdown']

ORCHESTRATOR_ACTION_IN_ACTION_VALUES: set[OrchestratorActionInAction] = { 'restart', 'shutdown',  }

def check_orchestrator_action_in_action(value: str) -> OrchestratorActionInAction:
    if value in ORCHESTRATOR_ACTION_IN_ACTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORCHESTRATOR_ACTION_IN_ACTION_VALUES!r}")
