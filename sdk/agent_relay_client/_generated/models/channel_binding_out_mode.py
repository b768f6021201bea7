from typing import Literal

ChannelBindingOutMode = Literal['broadcast', 'claimable', 'exclusive']

CHANNEL_BINDING_OUT_MODE_VALUES: set[ChannelBindingOutMode] = { 'broadcast', 'claimable', 'exclusive',  }

def check_channel_binding_out_mode(value: str) -> ChannelBindingOutMode:
    if value in CHANNEL_BINDING_OUT_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHANNEL_BINDING_OUT_MODE_VALUES!r}")
