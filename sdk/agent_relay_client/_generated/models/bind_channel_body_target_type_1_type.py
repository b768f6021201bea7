from typing import Literal

BindChannelBodyTargetType1Type = Literal['agent', 'broadcast', 'capability', 'label', 'tag']

BIND_CHANNEL_BODY_TARGET_TYPE_1_TYPE_VALUES: set[BindChannelBodyTargetType1Type] = { 'agent', 'broadcast', 'capability', 'label', 'tag',  }

def check_bind_channel_body_target_type_1_type(value: str) -> BindChannelBodyTargetType1Type:
    if value in BIND_CHANNEL_BODY_TARGET_TYPE_1_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BIND_CHANNEL_BODY_TARGET_TYPE_1_TYPE_VALUES!r}")
