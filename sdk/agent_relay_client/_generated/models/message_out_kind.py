from typing import Literal

MessageOutKind = Literal['channel.event', 'chat', 'control', 'pair', 'system', 'task']

MESSAGE_OUT_KIND_VALUES: set[MessageOutKind] = { 'channel.event', 'chat', 'control', 'pair', 'system', 'task',  }

def check_message_out_kind(value: str) -> MessageOutKind:
    if value in MESSAGE_OUT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MESSAGE_OUT_KIND_VALUES!r}")
