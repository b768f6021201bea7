from typing import Literal

AgentSpawnInApprovalmode = Literal['guarded', 'open', 'read-only']

AGENT_SPAWN_IN_APPROVALMODE_VALUES: set[AgentSpawnInApprovalmode] = { 'guarded', 'open', 'read-only',  }

def check_agent_spawn_in_approvalmode(value: str) -> AgentSpawnInApprovalmode:
    if value in AGENT_SPAWN_IN_APPROVALMODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AGENT_SPAWN_IN_APPROVALMODE_VALUES!r}")
