from typing import Literal

ActionResultOutAction = Literal['disable', 'doctor', 'enable', 'install', 'restart', 'start', 'status', 'stop', 'uninstall']

ACTION_RESULT_OUT_ACTION_VALUES: set[ActionResultOutAction] = { 'disable', 'doctor', 'enable', 'install', 'restart', 'start', 'status', 'stop', 'uninstall',  }

def check_action_result_out_action(value: str) -> ActionResultOutAction:
    if value in ACTION_RESULT_OUT_ACTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ACTION_RESULT_OUT_ACTION_VALUES!r}")
