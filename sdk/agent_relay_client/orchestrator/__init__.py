"""The orchestrator daemon: `relay orchestrator --id ID --base-dir DIR`.

from agent_relay_client.orchestrator import OrchestratorDaemon, load_config
"""

from agent_relay_client.orchestrator.config import DaemonConfig, ProviderConfig, load_config, parse_config
from agent_relay_client.orchestrator.daemon import Managed, OrchestratorDaemon, SpawnError
from agent_relay_client.orchestrator.tmux import Tmux

__all__ = [
    "DaemonConfig",
    "Managed",
    "OrchestratorDaemon",
    "ProviderConfig",
    "SpawnError",
    "Tmux",
    "load_config",
    "parse_config",
]
