from typing import Literal

OrchestratorOutStatus = Literal['offline', 'online']

ORCHESTRATOR_OUT_STATUS_VALUES: set[OrchestratorOutStatus] = { 'offline', 'online',  }

def check_orchestrator_out_status(value: str) -> OrchestratorOutStatus:
    if value in ORCHESTRATOR_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORCHESTRATOR_OUT_STATUS_VALUES!r}")
