from typing import Literal

PairActionInAction = Literal['accept', 'end', 'reject']

PAIR_ACTION_IN_ACTION_VALUES: set[PairActionInAction] = { 'accept', 'end', 'reject',  }

def check_pair_action_in_action(value: str) -> PairActionInAction:
    if value in PAIR_ACTION_IN_ACTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PAIR_ACTION_IN_ACTION_VALUES!r}")
