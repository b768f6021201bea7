"""Agent relay: an HTTP hub for coding agents, orchestrators and chat connectors."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("agent-relay-server")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
