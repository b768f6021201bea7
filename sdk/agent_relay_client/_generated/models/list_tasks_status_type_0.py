from typing import Literal

ListTasksStatusType0 = Literal['blocked', 'canceled', 'claimed', 'done', 'failed', 'in_progress', 'open']

LIST_TASKS_STATUS_TYPE_0_VALUES: set[ListTasksStatusType0] = { 'blocked', 'canceled', 'claimed', 'done', 'failed', 'in_progress', 'open',  }

def check_list_tasks_status_type_0(value: str) -> ListTasksStatusType0:
    if value in LIST_TASKS_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_TASKS_STATUS_TYPE_0_VALUES!r}")
