""" Contains all the data models used in inputs/outputs """

from .ack_out import AckOut
from .action_result_out import ActionResultOut
from .action_result_out_action import ActionResultOutAction
from .activity_in import ActivityIn
from .activity_in_metadata_type_0 import ActivityInMetadataType0
from .activity_new_event import ActivityNewEvent
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
from .agent_spawn_in import AgentSpawnIn
from .agent_spawn_in_approvalmode import AgentSpawnInApprovalmode
from .agent_spawn_in_provider import AgentSpawnInProvider
from .agent_spawn_out import AgentSpawnOut
from .agent_spawn_out_mode_type_0 import AgentSpawnOutModeType0
from .agent_spawn_out_provider import AgentSpawnOutProvider
from .agent_status_event import AgentStatusEvent
from .agent_status_event_data import AgentStatusEventData
from .agent_token_out import AgentTokenOut
from .bind_channel_body import BindChannelBody
from .bind_channel_body_mode import BindChannelBodyMode
from .bind_channel_body_target_type_1 import BindChannelBodyTargetType1
from .bind_channel_body_target_type_1_type import BindChannelBodyTargetType1Type
from .blob_out import BlobOut
from .broadcast_in import BroadcastIn
from .callback_attempt_out import CallbackAttemptOut
from .callback_delivery_out import CallbackDeliveryOut
from .callback_delivery_out_status import CallbackDeliveryOutStatus
from .channel_activity import ChannelActivity
from .channel_activity_event import ChannelActivityEvent
from .channel_activity_out import ChannelActivityOut
from .channel_activity_payload import ChannelActivityPayload
from .channel_binding_out import ChannelBindingOut
from .channel_binding_out_mode import ChannelBindingOutMode
from .channel_event_out import ChannelEventOut
from .channel_routes_out import ChannelRoutesOut
from .channel_routes_out_tier_type_0 import ChannelRoutesOutTierType0
from .channel_summary_out import ChannelSummaryOut
from .channel_target_out import ChannelTargetOut
from .channel_target_out_type import ChannelTargetOutType
from .claim_in import ClaimIn
from .connector_action_in import ConnectorActionIn
from .connector_action_in_action import ConnectorActionInAction
from .connector_out import ConnectorOut
from .connector_out_config import ConnectorOutConfig
from .connector_out_manifest import ConnectorOutManifest
from .connector_out_state import ConnectorOutState
from .database_health import DatabaseHealth
from .deleted_out import DeletedOut
from .delivery_out import DeliveryOut
from .delivery_out_state import DeliveryOutState
from .draft_in import DraftIn
from .draft_in_meta_type_0 import DraftInMetaType0
from .draft_out import DraftOut
from .draft_out_meta_type_0 import DraftOutMetaType0
from .error_body import ErrorBody
from .get_connector_config_response_get_connector_config import GetConnectorConfigResponseGetConnectorConfig
from .health_out import HealthOut
from .health_out_counts import HealthOutCounts
from .heartbeat import Heartbeat
from .heartbeat_out import HeartbeatOut
from .heartbeat_status_type_0 import HeartbeatStatusType0
from .host_directories_out import HostDirectoriesOut
from .host_directory import HostDirectory
from .integration_event_in import IntegrationEventIn
from .integration_event_in_meta_type_0 import IntegrationEventInMetaType0
from .integration_event_in_severity_type_0 import IntegrationEventInSeverityType0
from .integration_event_in_status_type_0 import IntegrationEventInStatusType0
from .integration_summary import IntegrationSummary
from .integration_summary_counts import IntegrationSummaryCounts
from .issued_token_out import IssuedTokenOut
from .list_agents_kind_type_0 import ListAgentsKindType0
from .list_agents_status_type_0 import ListAgentsStatusType0
from .list_messages_kind_type_0 import ListMessagesKindType0
from .list_pairs_status_type_0 import ListPairsStatusType0
from .list_tasks_status_type_0 import ListTasksStatusType0
from .managed_agent import ManagedAgent
from .managed_agent_approvalmode import ManagedAgentApprovalmode
from .managed_agent_in import ManagedAgentIn
from .managed_agent_in_approvalmode import ManagedAgentInApprovalmode
from .managed_agent_in_provider import ManagedAgentInProvider
from .managed_agent_provider import ManagedAgentProvider
from .managed_agents_in import ManagedAgentsIn
from .message_claim_released_event import MessageClaimReleasedEvent
from .message_claimed_event import MessageClaimedEvent
from .message_completed_event import MessageCompletedEvent
from .message_dead_lettered_event import MessageDeadLetteredEvent
from .message_deleted_event import MessageDeletedEvent
from .message_deleted_event_data import MessageDeletedEventData
from .message_new_event import MessageNewEvent
from .message_out import MessageOut
from .message_out_kind import MessageOutKind
from .message_out_meta_type_0 import MessageOutMetaType0
from .message_out_payload_type_0 import MessageOutPayloadType0
from .message_redriven_event import MessageRedrivenEvent
from .message_stuck_event import MessageStuckEvent
from .ok_body import OkBody
from .orchestrator_action_in import OrchestratorActionIn
from .orchestrator_action_in_action import OrchestratorActionInAction
from .orchestrator_action_out import OrchestratorActionOut
from .orchestrator_out import OrchestratorOut
from .orchestrator_out_meta import OrchestratorOutMeta
from .orchestrator_out_providers_item import OrchestratorOutProvidersItem
from .orchestrator_out_status import OrchestratorOutStatus
from .orchestrator_register import OrchestratorRegister
from .orchestrator_register_meta_type_0 import OrchestratorRegisterMetaType0
from .orchestrator_removed_event import OrchestratorRemovedEvent
from .orchestrator_removed_event_data import OrchestratorRemovedEventData
from .orchestrator_spawn_in import OrchestratorSpawnIn
from .orchestrator_spawn_in_approvalmode import OrchestratorSpawnInApprovalmode
from .orchestrator_spawn_in_provider import OrchestratorSpawnInProvider
from .orchestrator_spawn_out import OrchestratorSpawnOut
from .orchestrator_status_event import OrchestratorStatusEvent
from .pair_action_in import PairActionIn
from .pair_action_in_action import PairActionInAction
from .pair_create import PairCreate
from .pair_message_in import PairMessageIn
from .pair_message_in_meta_type_0 import PairMessageInMetaType0
from .pair_message_in_payload_type_0 import PairMessageInPayloadType0
from .pair_out import PairOut
from .pair_out_status import PairOutStatus
from .pair_updated_event import PairUpdatedEvent
from .post_channel_activity_body import PostChannelActivityBody
from .post_channel_activity_body_payload import PostChannelActivityBodyPayload
from .post_channel_event_body import PostChannelEventBody
from .post_channel_event_body_payload import PostChannelEventBodyPayload
from .process_status import ProcessStatus
from .process_status_last_exit_type_0 import ProcessStatusLastExitType0
from .put_connector_config_response_put_connector_config import PutConnectorConfigResponsePutConnectorConfig
from .reap_out import ReapOut
from .release_in import ReleaseIn
from .route_candidate_out import RouteCandidateOut
from .route_candidate_out_mode import RouteCandidateOutMode
from .route_candidate_out_tier import RouteCandidateOutTier
from .send_message import SendMessage
from .send_message_kind import SendMessageKind
from .send_message_meta_type_0 import SendMessageMetaType0
from .send_message_payload_type_0 import SendMessagePayloadType0
from .spawn_command import SpawnCommand
from .task_claim_in import TaskClaimIn
from .task_created_event import TaskCreatedEvent
from .task_out import TaskOut
from .task_out_meta_type_0 import TaskOutMetaType0
from .task_out_severity import TaskOutSeverity
from .task_out_status import TaskOutStatus
from .task_status_in import TaskStatusIn
from .task_status_in_status import TaskStatusInStatus
from .task_updated_event import TaskUpdatedEvent
from .token_create import TokenCreate
from .unreachable_binding_out import UnreachableBindingOut
from .unreachable_binding_out_tier import UnreachableBindingOutTier
from .who_am_i_out import WhoAmIOut
from .who_am_i_out_role import WhoAmIOutRole
from .writer_health import WriterHealth

__all__ = (
    "AckOut",
    "ActionResultOut",
    "ActionResultOutAction",
    "ActivityIn",
    "ActivityInMetadataType0",
    "ActivityNewEvent",
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
    "AgentSpawnIn",
    "AgentSpawnInApprovalmode",
    "AgentSpawnInProvider",
    "AgentSpawnOut",
    "AgentSpawnOutModeType0",
    "AgentSpawnOutProvider",
    "AgentStatusEvent",
    "AgentStatusEventData",
    "AgentTokenOut",
    "BindChannelBody",
    "BindChannelBodyMode",
    "BindChannelBodyTargetType1",
    "BindChannelBodyTargetType1Type",
    "BlobOut",
    "BroadcastIn",
    "CallbackAttemptOut",
    "CallbackDeliveryOut",
    "CallbackDeliveryOutStatus",
    "ChannelActivity",
    "ChannelActivityEvent",
    "ChannelActivityOut",
    "ChannelActivityPayload",
    "ChannelBindingOut",
    "ChannelBindingOutMode",
    "ChannelEventOut",
    "ChannelRoutesOut",
    "ChannelRoutesOutTierType0",
    "ChannelSummaryOut",
    "ChannelTargetOut",
    "ChannelTargetOutType",
    "ClaimIn",
    "ConnectorActionIn",
    "ConnectorActionInAction",
    "ConnectorOut",
    "ConnectorOutConfig",
    "ConnectorOutManifest",
    "ConnectorOutState",
    "DatabaseHealth",
    "DeletedOut",
    "DeliveryOut",
    "DeliveryOutState",
    "DraftIn",
    "DraftInMetaType0",
    "DraftOut",
    "DraftOutMetaType0",
    "ErrorBody",
    "GetConnectorConfigResponseGetConnectorConfig",
    "HealthOut",
    "HealthOutCounts",
    "Heartbeat",
    "HeartbeatOut",
    "HeartbeatStatusType0",
    "HostDirectoriesOut",
    "HostDirectory",
    "IntegrationEventIn",
    "IntegrationEventInMetaType0",
    "IntegrationEventInSeverityType0",
    "IntegrationEventInStatusType0",
    "IntegrationSummary",
    "IntegrationSummaryCounts",
    "IssuedTokenOut",
    "ListAgentsKindType0",
    "ListAgentsStatusType0",
    "ListMessagesKindType0",
    "ListPairsStatusType0",
    "ListTasksStatusType0",
    "ManagedAgent",
    "ManagedAgentApprovalmode",
    "ManagedAgentIn",
    "ManagedAgentInApprovalmode",
    "ManagedAgentInProvider",
    "ManagedAgentProvider",
    "ManagedAgentsIn",
    "MessageClaimedEvent",
    "MessageClaimReleasedEvent",
    "MessageCompletedEvent",
    "MessageDeadLetteredEvent",
    "MessageDeletedEvent",
    "MessageDeletedEventData",
    "MessageNewEvent",
    "MessageOut",
    "MessageOutKind",
    "MessageOutMetaType0",
    "MessageOutPayloadType0",
    "MessageRedrivenEvent",
    "MessageStuckEvent",
    "OkBody",
    "OrchestratorActionIn",
    "OrchestratorActionInAction",
    "OrchestratorActionOut",
    "OrchestratorOut",
    "OrchestratorOutMeta",
    "OrchestratorOutProvidersItem",
    "OrchestratorOutStatus",
    "OrchestratorRegister",
    "OrchestratorRegisterMetaType0",
    "OrchestratorRemovedEvent",
    "OrchestratorRemovedEventData",
    "OrchestratorSpawnIn",
    "OrchestratorSpawnInApprovalmode",
    "OrchestratorSpawnInProvider",
    "OrchestratorSpawnOut",
    "OrchestratorStatusEvent",
    "PairActionIn",
    "PairActionInAction",
    "PairCreate",
    "PairMessageIn",
    "PairMessageInMetaType0",
    "PairMessageInPayloadType0",
    "PairOut",
    "PairOutStatus",
    "PairUpdatedEvent",
    "PostChannelActivityBody",
    "PostChannelActivityBodyPayload",
    "PostChannelEventBody",
    "PostChannelEventBodyPayload",
    "ProcessStatus",
    "ProcessStatusLastExitType0",
    "PutConnectorConfigResponsePutConnectorConfig",
    "ReapOut",
    "ReleaseIn",
    "RouteCandidateOut",
    "RouteCandidateOutMode",
    "RouteCandidateOutTier",
    "SendMessage",
    "SendMessageKind",
    "SendMessageMetaType0",
    "SendMessagePayloadType0",
    "SpawnCommand",
    "TaskClaimIn",
    "TaskCreatedEvent",
    "TaskOut",
    "TaskOutMetaType0",
    "TaskOutSeverity",
    "TaskOutStatus",
    "TaskStatusIn",
    "TaskStatusInStatus",
    "TaskUpdatedEvent",
    "TokenCreate",
    "UnreachableBindingOut",
    "UnreachableBindingOutTier",
    "WhoAmIOut",
    "WhoAmIOutRole",
    "WriterHealth",
)
