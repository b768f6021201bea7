from typing import Literal

IntegrationEventInSeverityType0 = Literal['critical', 'info', 'warning']

INTEGRATION_EVENT_IN_SEVERITY_TYPE_0_VALUES: set[IntegrationEventInSeverityType0] = { 'critical', 'info', 'warning',  }

def check_integration_event_in_severity_type_0(value: str) -> IntegrationEventInSeverityType0:
    if value in INTEGRATION_EVENT_IN_SEVERITY_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {INTEGRATION_EVENT_IN_SEVERITY_TYPE_0_VALUES!r}")
