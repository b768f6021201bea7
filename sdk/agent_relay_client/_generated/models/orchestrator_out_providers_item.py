from typing import Literal

OrchestratorOutProvidersItem = Literal['claude', 'codex']

ORCHESTRATOR_OUT_PROVIDERS_ITEM_VALUES: set[OrchestratorOutProvidersItem] = { 'claude', 'codex',  }

def check_orchestrator_out_providers_item(value: str) -> OrchestratorOutProvidersItem:
    if value in ORCHESTRATOR_OUT_PROVIDERS_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ORCHESTRATOR_OUT_PROVIDERS_ITEM_VALUES!r}")
