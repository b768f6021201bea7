from typing import Literal

RouteCandidateOutMode = Literal['broadcast', 'claimable', 'exclusive']

ROUTE_CANDIDATE_OUT_MODE_VALUES: set[RouteCandidateOutMode] = { 'broadcast', 'claimable', 'exclusive',  }

def check_route_candidate_out_mode(value: str) -> RouteCandidateOutMode:
    if value in ROUTE_CANDIDATE_OUT_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ROUTE_CANDIDATE_OUT_MODE_VALUES!r}")
