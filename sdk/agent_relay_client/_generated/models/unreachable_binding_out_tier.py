from typing import Literal

UnreachableBindingOutTier = Literal['conversation', 'default']

UNREACHABLE_BINDING_OUT_TIER_VALUES: set[UnreachableBindingOutTier] = { 'conversation', 'default',  }

def check_unreachable_binding_out_tier(value: str) -> UnreachableBindingOutTier:
    if value in UNREACHABLE_BINDING_OUT_TIER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {UNREACHABLE_BINDING_OUT_TIER_VALUES!r}")
