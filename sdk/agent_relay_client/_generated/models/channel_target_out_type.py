from typing import Literal

ChannelTargetOutType = Literal['agent', 'broadcast', 'capability', 'label', 'tag']

CHANNEL_TARGET_OUT_TYPE_VALUES: set[ChannelTargetOutType] = { 'agent', 'broadcast', 'capability', 'label', 'tag',  }

def check_channel_target_out_type(value: str) -> ChannelTargetOutType:
    if value in CHANNEL_TARGET_OUT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHANNEL_TARGET_OUT_TYPE_VALUES!r}")
