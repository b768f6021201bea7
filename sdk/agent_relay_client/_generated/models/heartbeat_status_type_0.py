from typing import Literal

HeartbeatStatusType0 = Literal['busy', 'idle', 'offline', 'online']

HEARTBEAT_STATUS_TYPE_0_VALUES: set[HeartbeatStatusType0] = { 'busy', 'idle', 'offline', 'online',  }

def check_heartbeat_status_type_0(value: str) -> HeartbeatStatusType0:
    if value in HEARTBEAT_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {HEARTBEAT_STATUS_TYPE_0_VALUES!r}")
