from typing import Literal

OrchestratorSpawnInApprovalmode = Literal['guarded', 'open', 'read-only']

ORCHESTRATOR_SPAWN_IN_APPROVALMODE_VALUES: set[OrchestratorSpawnInApprovalmode] = { 'guarded', 'open', 'read-only',  }

def check_orchestrator_spawn_in_approvalmode(value: str) -> OrchestratorSpawnInApprovalmode:
    if value in ORCHESTRATOR_SPAWN_IN_APPROVALMODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORCHESTRATOR_SPAWN_IN_APPROVALMODE_VALUES!r}")
