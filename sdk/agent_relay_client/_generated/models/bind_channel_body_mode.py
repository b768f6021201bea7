from typing import Literal

BindChannelBodyMode = Literal['broadcast', 'claimable', 'exclusive']

BIND_CHANNEL_BODY_MODE_VALUES: set[BindChannelBodyMode] = { 'broadcast', 'claimable', 'exclusive',  }

def check_bind_channel_body_mode(value: str) -> BindChannelBodyMode:
    if value in BIND_CHANNEL_BODY_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BIND_CHANNEL_BODY_MODE_VALUES!r}")
