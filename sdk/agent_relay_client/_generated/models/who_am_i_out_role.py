from typing import Literal

WhoAmIOutRole = Literal['admin', 'agent', 'integration', 'open']

WHO_AM_I_OUT_ROLE_VALUES: set[WhoAmIOutRole] = { 'admin', 'agent', 'integration', 'open',  }

def check_who_am_i_out_role(value: str) -> WhoAmIOutRole:
    if value in WHO_AM_I_OUT_ROLE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WHO_AM_I_OUT_ROLE_VALUES!r}")
