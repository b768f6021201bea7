"""create_app(settings): lifespan, error handlers, middleware, routers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from agent_relay import __version__
from agent_relay.activity.router import router as activity_router
from agent_relay.agents.router import router as agents_router
from agent_relay.context import Relay
from agent_relay.db import Database
from agent_relay.errors import RelayError
from agent_relay.events.hub import EventHub
from agent_relay.events.log import events_table, latest_event_id
from agent_relay.events.router import router as events_router
from agent_relay.inbox.router import router as inbox_router
from agent_relay.messages.router import router as messages_router
from agent_relay.middleware import AssumeJson, BodySizeLimit, RejectNulInUrl, TokenAuth
from agent_relay.settings import Settings
from agent_relay.spec import install as install_spec
from agent_relay.system import reaper
from agent_relay.system.router import router as system_router
from agent_relay.validation import first_message
from agent_relay.wire import json_response

log = logging.getLogger("agent_relay")

ROUTERS = [
    agents_router,
    messages_router,
    inbox_router,
    activity_router,
    system_router,
    events_router,
]


def _operation_id(route: APIRoute) -> str:
    """Operation ids are the route function names: `send_message`, `claim_message`, …"""
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.resolved_database_url)
        hub = EventHub(settings.sse_queue_size)
        hub.bind(asyncio.get_running_loop())
        db.start(events_table, hub.publish_threadsafe)
        relay = Relay(settings=settings, db=db, hub=hub)
        app.state.relay = relay
        hub.last_id = await db.read(latest_event_id)
        tasks = []
        if settings.reap_interval_ms > 0:
            tasks.append(asyncio.create_task(reaper.run_timer(db.write, settings), name="reaper"))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await asyncio.to_thread(db.stop)

    app = FastAPI(
        title="Agent Relay",
        version=__version__,
        description=(
            "An HTTP hub through which coding agents, their orchestrators and chat connectors "
            "find each other and exchange work. Errors are `{\"error\": \"...\"}`; timestamps are "
            "milliseconds since the epoch; field names are camelCase."
        ),
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    for router in ROUTERS:
        app.include_router(router)
    _install_error_handlers(app)
    install_spec(app)
    app.add_middleware(AssumeJson)  # type: ignore[arg-type]
    app.add_middleware(RejectNulInUrl)  # type: ignore[arg-type]
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)  # type: ignore[arg-type]
    app.add_middleware(TokenAuth, token=settings.token)  # type: ignore[arg-type]
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RelayError)
    async def relay_error(_request: Request, exc: RelayError) -> Response:
        return json_response({"error": exc.message}, exc.status_code, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> Response:
        return json_response({"error": first_message(exc.errors())}, 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = "not found"
        elif exc.status_code == 405:
            message = "method not allowed"
        return json_response({"error": message}, exc.status_code, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected_error(_request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return json_response({"error": "internal error"}, 500)
