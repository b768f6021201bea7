from typing import Literal

ListAgentsKindType0 = Literal['channel', 'orchestrator', 'provider', 'system', 'user']

LIST_AGENTS_KIND_TYPE_0_VALUES: set[ListAgentsKindType0] = { 'channel', 'orchestrator', 'provider', 'system', 'user',  }

def check_list_agents_kind_type_0(value: str) -> ListAgentsKindType0:
    if value in LIST_AGENTS_KIND_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_AGENTS_KIND_TYPE_0_VALUES!r}")
