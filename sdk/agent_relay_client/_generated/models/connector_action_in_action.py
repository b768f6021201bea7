from typing import Literal

ConnectorActionInAction = Literal['disable', 'doctor', 'enable', 'install', 'restart', 'start', 'status', 'stop', 'uninstall']

CONNECTOR_ACTION_IN_ACTION_VALUES: set[ConnectorActionInAction] = { 'disable', 'doctor', 'enable', 'install', 'restart', 'start', 'status', 'stop', 'uninstall',  }

def check_connector_action_in_action(value: str) -> ConnectorActionInAction:
    if value in CONNECTOR_ACTION_IN_ACTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONNECTOR_ACTION_IN_ACTION_VALUES!r}")
