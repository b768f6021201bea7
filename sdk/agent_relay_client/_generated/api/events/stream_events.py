from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.activity_new_event import ActivityNewEvent
from ...models.agent_status_event import AgentStatusEvent
from ...models.channel_activity_event import ChannelActivityEvent
from ...models.error_body import ErrorBody
from ...models.message_claim_released_event import MessageClaimReleasedEvent
from ...models.message_claimed_event import MessageClaimedEvent
from ...models.message_completed_event import MessageCompletedEvent
from ...models.message_dead_lettered_event import MessageDeadLetteredEvent
from ...models.message_deleted_event import MessageDeletedEvent
from ...models.message_new_event import MessageNewEvent
from ...models.message_redriven_event import MessageRedrivenEvent
from ...models.message_stuck_event import MessageStuckEvent
from ...models.orchestrator_removed_event import OrchestratorRemovedEvent
from ...models.orchestrator_status_event import OrchestratorStatusEvent
from ...models.pair_updated_event import PairUpdatedEvent
from ...models.task_created_event import TaskCreatedEvent
from ...models.task_updated_event import TaskUpdatedEvent
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    agent_id: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    token: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["last-event-id"] = last_event_id



    

    params: dict[str, Any] = {}

    json_agent_id: None | str | Unset
    if isinstance(agent_id, Unset):
        json_agent_id = UNSET
    else:
        json_agent_id = agent_id
    params["agentId"] = json_agent_id

    json_after: int | None | Unset
    if isinstance(after, Unset):
        json_after = UNSET
    else:
        json_after = after
    params["after"] = json_after

    json_token: None | str | Unset
    if isinstance(token, Unset):
        json_token = UNSET
    else:
        json_token = token
    params["token"] = json_token


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/events",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent | ErrorBody | None:
    if response.status_code == 200:
        def _parse_response_200(data: object) -> ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_0 = MessageNewEvent.from_dict(data)



                return componentsschemas_relay_event_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_1 = MessageClaimedEvent.from_dict(data)



                return componentsschemas_relay_event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_2 = MessageClaimReleasedEvent.from_dict(data)



                return componentsschemas_relay_event_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_3 = MessageCompletedEvent.from_dict(data)



                return componentsschemas_relay_event_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_4 = MessageDeadLetteredEvent.from_dict(data)



                return componentsschemas_relay_event_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_5 = MessageRedrivenEvent.from_dict(data)



                return componentsschemas_relay_event_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_6 = MessageStuckEvent.from_dict(data)



                return componentsschemas_relay_event_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_7 = MessageDeletedEvent.from_dict(data)



                return componentsschemas_relay_event_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_8 = AgentStatusEvent.from_dict(data)



                return componentsschemas_relay_event_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_9 = TaskCreatedEvent.from_dict(data)



                return componentsschemas_relay_event_type_9
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_10 = TaskUpdatedEvent.from_dict(data)



                return componentsschemas_relay_event_type_10
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_11 = PairUpdatedEvent.from_dict(data)



                return componentsschemas_relay_event_type_11
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_12 = OrchestratorStatusEvent.from_dict(data)



                return componentsschemas_relay_event_type_12
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_13 = OrchestratorRemovedEvent.from_dict(data)



                return componentsschemas_relay_event_type_13
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_relay_event_type_14 = ActivityNewEvent.from_dict(data)



                return componentsschemas_relay_event_type_14
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_relay_event_type_15 = ChannelActivityEvent.from_dict(data)



            return componentsschemas_relay_event_type_15

        response_200 = _parse_response_200(response.text)

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())



        return response_401

    if response.status_code == 421:
        response_421 = ErrorBody.from_dict(response.json())



        return response_421

    if response.status_code == 431:
        response_431 = ErrorBody.from_dict(response.json())



        return response_431

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    agent_id: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    token: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Response[ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent | ErrorBody]:
    """ Stream Events

     Live events (`message.new`, `agent.status`, `task.updated`, …). Reconnect with
    `Last-Event-ID` to receive every durable event missed, in order, then live ones.
    `agentId` narrows the stream to what concerns that agent; an agent token's stream
    always is (its own agent's, whether or not it names it).

    Args:
        agent_id (None | str | Unset):
        after (int | None | Unset): Like Last-Event-ID, for clients that cannot set it
        token (None | str | Unset): The relay token, for EventSource clients
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent | ErrorBody]
     """


    kwargs = _get_kwargs(
        agent_id=agent_id,
after=after,
token=token,
last_event_id=last_event_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    agent_id: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    token: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent | ErrorBody | None:
    """ Stream Events

     Live events (`message.new`, `agent.status`, `task.updated`, …). Reconnect with
    `Last-Event-ID` to receive every durable event missed, in order, then live ones.
    `agentId` narrows the stream to what concerns that agent; an agent token's stream
    always is (its own agent's, whether or not it names it).

    Args:
        agent_id (None | str | Unset):
        after (int | None | Unset): Like Last-Event-ID, for clients that cannot set it
        token (None | str | Unset): The relay token, for EventSource clients
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent | ErrorBody
     """


    return sync_detailed(
        client=client,
agent_id=agent_id,
after=after,
token=token,
last_event_id=last_event_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    agent_id: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    token: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> Response[ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent | ErrorBody]:
    """ Stream Events

     Live events (`message.new`, `agent.status`, `task.updated`, …). Reconnect with
    `Last-Event-ID` to receive every durable event missed, in order, then live ones.
    `agentId` narrows the stream to what concerns that agent; an agent token's stream
    always is (its own agent's, whether or not it names it).

    Args:
        agent_id (None | str | Unset):
        after (int | None | Unset): Like Last-Event-ID, for clients that cannot set it
        token (None | str | Unset): The relay token, for EventSource clients
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent | ErrorBody]
     """


    kwargs = _get_kwargs(
        agent_id=agent_id,
after=after,
token=token,
last_event_id=last_event_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    agent_id: None | str | Unset = UNSET,
    after: int | None | Unset = UNSET,
    token: None | str | Unset = UNSET,
    last_event_id: None | str | Unset = UNSET,

) -> ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent | ErrorBody | None:
    """ Stream Events

     Live events (`message.new`, `agent.status`, `task.updated`, …). Reconnect with
    `Last-Event-ID` to receive every durable event missed, in order, then live ones.
    `agentId` narrows the stream to what concerns that agent; an agent token's stream
    always is (its own agent's, whether or not it names it).

    Args:
        agent_id (None | str | Unset):
        after (int | None | Unset): Like Last-Event-ID, for clients that cannot set it
        token (None | str | Unset): The relay token, for EventSource clients
        last_event_id (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ActivityNewEvent | AgentStatusEvent | ChannelActivityEvent | MessageClaimedEvent | MessageClaimReleasedEvent | MessageCompletedEvent | MessageDeadLetteredEvent | MessageDeletedEvent | MessageNewEvent | MessageRedrivenEvent | MessageStuckEvent | OrchestratorRemovedEvent | OrchestratorStatusEvent | PairUpdatedEvent | TaskCreatedEvent | TaskUpdatedEvent | ErrorBody
     """


    return (await asyncio_detailed(
        client=client,
agent_id=agent_id,
after=after,
token=token,
last_event_id=last_event_id,

    )).parsed
