from typing import Literal

CallbackDeliveryOutStatus = Literal['dead', 'delivered', 'pending']

CALLBACK_DELIVERY_OUT_STATUS_VALUES: set[CallbackDeliveryOutStatus] = { 'dead', 'delivered', 'pending',  }

def check_callback_delivery_out_status(value: str) -> CallbackDeliveryOutStatus:
    if value in CALLBACK_DELIVERY_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CALLBACK_DELIVERY_OUT_STATUS_VALUES!r}")
