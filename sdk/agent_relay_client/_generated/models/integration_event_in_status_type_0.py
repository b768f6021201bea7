from typing import Literal

IntegrationEventInStatusType0 = Literal['blocked', 'canceled', 'claimed', 'done', 'failed', 'in_progress', 'open', 'resolved']

INTEGRATION_EVENT_IN_STATUS_TYPE_0_VALUES: set[IntegrationEventInStatusType0] = { 'blocked', 'canceled', 'claimed', 'done', 'failed', 'in_progress', 'open', 'resolved',  }

def check_integration_event_in_status_type_0(value: str) -> IntegrationEventInStatusType0:
    if value in INTEGRATION_EVENT_IN_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {INTEGRATION_EVENT_IN_STATUS_TYPE_0_VALUES!r}")
