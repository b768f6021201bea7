from typing import Literal

ManagedAgentInApprovalmode = Literal['guarded', 'open', 'read-only']

MANAGED_AGENT_IN_APPROVALMODE_VALUES: set[ManagedAgentInApprovalmode] = { 'guarded', 'open', 'read-only',  }

def check_managed_agent_in_approvalmode(value: str) -> ManagedAgentInApprovalmode:
    if value in MANAGED_AGENT_IN_APPROVALMODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MANAGED_AGENT_IN_APPROVALMODE_VALUES!r}")
