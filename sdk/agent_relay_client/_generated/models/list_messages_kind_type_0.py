from typing import Literal

ListMessagesKindType0 = Literal['channel.event', 'chat', 'control', 'pair', 'system', 'task']

LIST_MESSAGES_KIND_TYPE_0_VALUES: set[ListMessagesKindType0] = { 'channel.event', 'chat', 'control', 'pair', 'system', 'task',  }

def check_list_messages_kind_type_0(value: str) -> ListMessagesKindType0:
    if value in LIST_MESSAGES_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_MESSAGES_KIND_TYPE_0_VALUES!r}")
