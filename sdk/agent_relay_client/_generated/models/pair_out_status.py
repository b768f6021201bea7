from typing import Literal

PairOutStatus = Literal['active', 'ended', 'expired', 'pending', 'rejected']

PAIR_OUT_STATUS_VALUES: set[PairOutStatus] = { 'active', 'ended', 'expired', 'pending', 'rejected',  }

def check_pair_out_status(value: str) -> PairOutStatus:
    if value in PAIR_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PAIR_OUT_STATUS_VALUES!r}")
