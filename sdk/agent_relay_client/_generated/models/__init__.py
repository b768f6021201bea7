""" Contains all the data models used in inputs/outputs """

from .ack_out import AckOut
from .activity_in import ActivityIn
from .activity_in_metadata_type_0 import ActivityInMetadataType0
from .activity_out import ActivityOut
from .activity_out_metadata_type_0 import ActivityOutMetadataType0
from .agent_action_in import AgentActionIn
from .agent_action_in_action import AgentActionInAction
from .agent_action_out import AgentActionOut
from .agent_card import AgentCard
from .agent_card_kind import AgentCardKind
from .agent_card_meta import AgentCardMeta
from .agent_card_status import AgentCardStatus
from .agent_ref import AgentRef
from .agent_register import AgentRegister
from .agent_register_kind_type_0 import AgentRegisterKindType0
from .agent_register_meta_type_0 import AgentRegisterMetaType0
from .agent_register_status_type_0 import AgentRegisterStatusType0
from .broadcast_in import BroadcastIn
from .claim_in import ClaimIn
from .database_health import DatabaseHealth
from .deleted_out import DeletedOut
from .draft_in import DraftIn
from .draft_in_meta_type_0 import DraftInMetaType0
from .draft_out import DraftOut
from .draft_out_meta_type_0 import DraftOutMetaType0
from .error_body import ErrorBody
from .health_out import HealthOut
from .health_out_counts import HealthOutCounts
from .heartbeat import Heartbeat
from .heartbeat_out import HeartbeatOut
from .heartbeat_status_type_0 import HeartbeatStatusType0
from .list_agents_kind_type_0 import ListAgentsKindType0
from .list_agents_status_type_0 import ListAgentsStatusType0
from .list_messages_kind_type_0 import ListMessagesKindType0
from .message_out import MessageOut
from .message_out_kind import MessageOutKind
from .message_out_meta_type_0 import MessageOutMetaType0
from .message_out_payload_type_0 import MessageOutPayloadType0
from .ok_body import OkBody
from .reap_out import ReapOut
from .send_message import SendMessage
from .send_message_kind import SendMessageKind
from .send_message_meta_type_0 import SendMessageMetaType0
from .send_message_payload_type_0 import SendMessagePayloadType0

__all__ = (
    "AckOut",
    "ActivityIn",
    "ActivityInMetadataType0",
    "ActivityOut",
    "ActivityOutMetadataType0",
    "AgentActionIn",
    "AgentActionInAction",
    "AgentActionOut",
    "AgentCard",
    "AgentCardKind",
    "AgentCardMeta",
    "AgentCardStatus",
    "AgentRef",
    "AgentRegister",
    "AgentRegisterKindType0",
    "AgentRegisterMetaType0",
    "AgentRegisterStatusType0",
    "BroadcastIn",
    "ClaimIn",
    "DatabaseHealth",
    "DeletedOut",
    "DraftIn",
    "DraftInMetaType0",
    "DraftOut",
    "DraftOutMetaType0",
    "ErrorBody",
    "HealthOut",
    "HealthOutCounts",
    "Heartbeat",
    "HeartbeatOut",
    "HeartbeatStatusType0",
    "ListAgentsKindType0",
    "ListAgentsStatusType0",
    "ListMessagesKindType0",
    "MessageOut",
    "MessageOutKind",
    "MessageOutMetaType0",
    "MessageOutPayloadType0",
    "OkBody",
    "ReapOut",
    "SendMessage",
    "SendMessageKind",
    "SendMessageMetaType0",
    "SendMessagePayloadType0",
)
