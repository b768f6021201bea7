from typing import Literal

TaskOutSeverity = Literal['critical', 'info', 'warning']

TASK_OUT_SEVERITY_VALUES: set[TaskOutSeverity] = { 'critical', 'info', 'warning',  }

def check_task_out_severity(value: str) -> TaskOutSeverity:
    if value in TASK_OUT_SEVERITY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TASK_OUT_SEVERITY_VALUES!r}")
