from typing import Literal

SendMessageKind = Literal['channel.event', 'chat', 'control', 'pair', 'system', 'task']

SEND_MESSAGE_KIND_VALUES: set[SendMessageKind] = { 'channel.event', 'chat', 'control', 'pair', 'system', 'task',  }

def check_send_message_kind(value: str) -> SendMessageKind:
    if value in SEND_MESSAGE_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SEND_MESSAGE_KIND_VALUES!r}")
