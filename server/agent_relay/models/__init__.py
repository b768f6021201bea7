"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from sqlmodel import SQLModel

from agent_relay.models.activity import ActivityEvent
from agent_relay.models.agent import Agent
from agent_relay.models.event import EventRecord
from agent_relay.models.message import InboxDraft, Message, MessageAck
from agent_relay.models.pair import Pair
from agent_relay.models.task import (
    CallbackAttempt,
    CallbackDelivery,
    IntegrationRateLimit,
    IntegrationState,
    Task,
)

metadata = SQLModel.metadata

__all__ = ["ActivityEvent", "Agent", "EventRecord", "InboxDraft", "Message", "MessageAck", "metadata"]
__all__ += ["CallbackAttempt", "CallbackDelivery", "IntegrationRateLimit", "IntegrationState", "Pair", "Task"]
