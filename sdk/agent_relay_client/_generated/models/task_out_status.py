from typing import Literal

TaskOutStatus = Literal['blocked', 'canceled', 'claimed', 'done', 'failed', 'in_progress', 'open']

TASK_OUT_STATUS_VALUES: set[TaskOutStatus] = { 'blocked', 'canceled', 'claimed', 'done', 'failed', 'in_progress', 'open',  }

def check_task_out_status(value: str) -> TaskOutStatus:
    if value in TASK_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TASK_OUT_STATUS_VALUES!r}")
