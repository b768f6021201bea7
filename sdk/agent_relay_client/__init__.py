"""Typed Python client for the agent relay.

from agent_relay_client import RelayClient, RelayAgent
"""

from agent_relay_client._generated import models
from agent_relay_client.agent import AsyncRelayAgent, RelayAgent
from agent_relay_client.channel import ChannelConnector, ChannelReply
from agent_relay_client.client import VERSION as __version__
from agent_relay_client.client import AsyncRelayClient, RelayClient, operations
from agent_relay_client.errors import (
    BadGatewayError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitedError,
    RelayConnectionError,
    RelayError,
    ServerError,
    SessionSupersededError,
    UnauthorizedError,
)
from agent_relay_client.events import RelayEvent

__all__ = [
    "AsyncRelayAgent",
    "AsyncRelayClient",
    "BadGatewayError",
    "BadRequestError",
    "ChannelConnector",
    "ChannelReply",
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "PayloadTooLargeError",
    "RateLimitedError",
    "RelayAgent",
    "RelayClient",
    "RelayConnectionError",
    "RelayError",
    "RelayEvent",
    "ServerError",
    "SessionSupersededError",
    "UnauthorizedError",
    "__version__",
    "models",
    "operations",
]
