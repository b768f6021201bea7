from typing import Literal

TaskStatusInStatus = Literal['blocked', 'canceled', 'claimed', 'done', 'failed', 'in_progress', 'open']

TASK_STATUS_IN_STATUS_VALUES: set[TaskStatusInStatus] = { 'blocked', 'canceled', 'claimed', 'done', 'failed', 'in_progress', 'open',  }

def check_task_status_in_status(value: str) -> TaskStatusInStatus:
    if value in TASK_STATUS_IN_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TASK_STATUS_IN_STATUS_VALUES!r}")
