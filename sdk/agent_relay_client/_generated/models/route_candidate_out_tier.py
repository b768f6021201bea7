from typing import Literal

RouteCandidateOutTier = Literal['conversation', 'default']

ROUTE_CANDIDATE_OUT_TIER_VALUES: set[RouteCandidateOutTier] = { 'conversation', 'default',  }

def check_route_candidate_out_tier(value: str) -> RouteCandidateOutTier:
    if value in ROUTE_CANDIDATE_OUT_TIER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ROUTE_CANDIDATE_OUT_TIER_VALUES!r}")
