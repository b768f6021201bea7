"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from sqlmodel import SQLModel

from agent_relay.models.activity import ActivityEvent
from agent_relay.models.agent import Agent
from agent_relay.models.agent_token import AgentToken
from agent_relay.models.blob import Blob
from agent_relay.models.channel import ChannelBinding
from agent_relay.models.connector import Connector
from agent_relay.models.event import EventRecord
from agent_relay.models.message import DeliveryRead, InboxDraft, Message, MessageAck, MessageDelivery
from agent_relay.models.orchestrator import Orchestrator
from agent_relay.models.pair import Pair
from agent_relay.models.task import (
    CallbackAttempt,
    CallbackDelivery,
    IntegrationRateLimit,
    IntegrationState,
    Task,
)

metadata = SQLModel.metadata

__all__ = [
    "ActivityEvent",
    "Agent",
    "AgentToken",
    "Blob",
    "CallbackAttempt",
    "CallbackDelivery",
    "ChannelBinding",
    "Connector",
    "DeliveryRead",
    "EventRecord",
    "InboxDraft",
    "IntegrationRateLimit",
    "IntegrationState",
    "Message",
    "MessageAck",
    "MessageDelivery",
    "Orchestrator",
    "Pair",
    "Task",
    "metadata",
]
