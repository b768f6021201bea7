from typing import Literal

ManagedAgentApprovalmode = Literal['guarded', 'open', 'read-only']

MANAGED_AGENT_APPROVALMODE_VALUES: set[ManagedAgentApprovalmode] = { 'guarded', 'open', 'read-only',  }

def check_managed_agent_approvalmode(value: str) -> ManagedAgentApprovalmode:
    if value in MANAGED_AGENT_APPROVALMODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MANAGED_AGENT_APPROVALMODE_VALUES!r}")
