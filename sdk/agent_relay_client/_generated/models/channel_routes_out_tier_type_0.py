from typing import Literal

ChannelRoutesOutTierType0 = Literal['conversation', 'default']

CHANNEL_ROUTES_OUT_TIER_TYPE_0_VALUES: set[ChannelRoutesOutTierType0] = { 'conversation', 'default',  }

def check_channel_routes_out_tier_type_0(value: str) -> ChannelRoutesOutTierType0:
    if value in CHANNEL_ROUTES_OUT_TIER_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CHANNEL_ROUTES_OUT_TIER_TYPE_0_VALUES!r}")
