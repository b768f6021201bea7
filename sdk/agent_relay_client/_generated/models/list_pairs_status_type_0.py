from typing import Literal

ListPairsStatusType0 = Literal['active', 'ended', 'expired', 'pending', 'rejected']

LIST_PAIRS_STATUS_TYPE_0_VALUES: set[ListPairsStatusType0] = { 'active', 'ended', 'expired', 'pending', 'rejected',  }

def check_list_pairs_status_type_0(value: str) -> ListPairsStatusType0:
    if value in LIST_PAIRS_STATUS_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_PAIRS_STATUS_TYPE_0_VALUES!r}")
