"""create_app(settings): lifespan, error handlers, middleware, routers."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from agent_relay import __version__, metrics
from agent_relay.activity.router import router as activity_router
from agent_relay.agents.router import router as agents_router
from agent_relay.agents.tokens import TokenStore
from agent_relay.blobs.router import router as blobs_router
from agent_relay.channels.router import router as channels_router
from agent_relay.connectors.router import router as connectors_router
from agent_relay.connectors.supervisor import Supervisor as ConnectorSupervisor
from agent_relay.context import Relay
from agent_relay.dashboard.router import router as dashboard_router
from agent_relay.db import Database
from agent_relay.errors import RelayError
from agent_relay.events.bus import create_bus
from agent_relay.http_server import RedactTokens, configured_secrets, open_connection_count
from agent_relay.inbox import service as inbox_service
from agent_relay.inbox.router import router as inbox_router
from agent_relay.integrations.router import router as integrations_router
from agent_relay.mcp_tools import endpoint as mcp_endpoint
from agent_relay.messages.router import dead_letters_router
from agent_relay.messages.router import router as messages_router
from agent_relay.middleware import BodySizeLimit, BrowserGuard, NormalizeRequest, TokenAuth
from agent_relay.observe import Observe
from agent_relay.orchestrators.router import router as orchestrators_router
from agent_relay.orchestrators.spawn_router import router as spawn_router
from agent_relay.pairs.router import router as pairs_router
from agent_relay.principal import Authenticator
from agent_relay.settings import Settings
from agent_relay.spec import install as install_spec
from agent_relay.stream.router import router as events_router
from agent_relay.system import reaper
from agent_relay.system.router import router as system_router
from agent_relay.tasks.callbacks import CallbackWorker
from agent_relay.tasks.router import router as tasks_router
from agent_relay.validation import first_message
from agent_relay.wire import json_response

log = logging.getLogger("agent_relay")
DOCS_ASSETS_URL = "/docs/assets"  # Swagger UI's and ReDoc's scripts, styles and icon
SWAGGER_UI_PARAMETERS = {  # on top of FastAPI's defaults
    "validatorUrl": None,  # no badge fetched from the public validator
    "persistAuthorization": True,  # the token entered under Authorize survives a reload
}
GC_GEN0_THRESHOLD = 20_000

# Routes are matched router by router, in this order: the hot paths (send, inbox) first.
ROUTERS = [
    messages_router,
    inbox_router,
    dead_letters_router,
    spawn_router,  # POST /api/agents/spawn: before the agents router's /api/agents/{id} routes
    agents_router,
    activity_router,
    system_router,
    events_router,
    connectors_router,
    channels_router,
    blobs_router,
    orchestrators_router,
    tasks_router,
    integrations_router,
    pairs_router,
    dashboard_router,  # / and /dashboard/*: the operator dashboard (§17), not in the schema
]


def _operation_id(route: APIRoute) -> str:
    """Operation ids are the route function names: `send_message`, `claim_message`, …"""
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    authenticator = Authenticator(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.resolved_database_url)
        bus = create_bus(settings, db)
        await bus.start()
        db.start(bus)  # the writer appends to the bus's log and publishes through it
        relay = Relay(settings=settings, db=db, bus=bus)
        authenticator.store = token_store = TokenStore(db)  # agent tokens (§14)
        # Start-up objects live forever: keep them out of every collection, and collect
        # the young generation less often (the send path allocates many short-lived objects).
        gc.collect()
        gc.freeze()
        gc.set_threshold(GC_GEN0_THRESHOLD, 50, 100)
        app.state.relay = relay
        app.state.connector_supervisor = supervisor = ConnectorSupervisor(settings)
        tasks = []
        if settings.reap_interval_ms > 0:
            tasks.append(asyncio.create_task(reaper.run_timer(db.write, settings), name="reaper"))
        callbacks = CallbackWorker(relay)  # task callback deliveries, resumed from the database
        callbacks.start()
        _register_samplers(relay, supervisor)
        if metrics.multiprocess_dir():  # other workers answer scrapes too: keep our levels fresh
            tasks.append(asyncio.create_task(_sample_every_second(), name="metrics-sampler"))
        try:
            async with mcp_endpoint.serving(
                app.state, mcp_endpoint.max_request_bytes(settings.max_body_bytes)
            ):
                yield
        finally:
            metrics.remove_sampler("relay")
            metrics.mark_this_process_dead()
            await callbacks.stop()
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await supervisor.shutdown()  # stop every connector process this server started
            authenticator.store = None
            await token_store.close()
            await inbox_service.flush_deliveries(db)  # the ledger's buffered first deliveries
            await bus.stop()
            await asyncio.to_thread(db.stop)

    # /docs (Swagger UI) and /redoc load their scripts from the relay (fastapi-offline ships
    # them), not from a CDN: they work where the relay cannot reach the internet.
    app = FastAPIOffline(
        static_url=DOCS_ASSETS_URL,
        swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
        title="Agent Relay",
        version=__version__,
        description=(
            "An HTTP hub through which coding agents, their orchestrators and chat connectors "
            'find each other and exchange work. Errors are `{"error": "..."}`; timestamps are '
            "milliseconds since the epoch; field names are camelCase."
        ),
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    for router in ROUTERS:
        app.include_router(router)
    app.router.routes.append(mcp_endpoint.route())  # MCP (§16): the SDK's app, not in the OpenAPI spec
    _install_error_handlers(app)
    install_spec(app)
    app.add_middleware(NormalizeRequest)  # type: ignore[arg-type]
    app.add_middleware(
        BodySizeLimit,  # type: ignore[arg-type]
        max_bytes=settings.max_body_bytes,
        overrides={
            "/api/blobs": settings.blob_max_bytes,
            mcp_endpoint.PATH: mcp_endpoint.max_request_bytes(settings.max_body_bytes),
        },
    )
    app.add_middleware(TokenAuth, authenticator=authenticator)  # type: ignore[arg-type]
    _install_browser_guard(app, settings)
    # Outermost: every answer, the guard's refusals included, gets an X-Request-Id and is counted.
    app.add_middleware(Observe, redact=RedactTokens(configured_secrets(settings)).redact)  # type: ignore[arg-type]
    return app


def _register_samplers(relay: Relay, supervisor: ConnectorSupervisor) -> None:
    """This process's levels for /metrics, read when sampled (never kept on a request's path)."""
    db, hub, stall_ms = relay.db, relay.hub, relay.settings.writer_stall_ms
    metrics.set_build_info(__version__, "sqlite" if db.is_sqlite else "postgresql")

    def sample() -> None:
        metrics.sse_subscribers.set(hub.streams.held)
        metrics.long_polls.set(hub.long_polls.held)
        metrics.writer_queue.set(db.queue_depth())
        metrics.writer_oldest_wait.set(db.oldest_wait_s())
        metrics.writer_stalled.set(1 if db.problem(stall_ms) else 0)
        metrics.connectors_running.set(supervisor.running_count())
        metrics.open_connections.set(open_connection_count())

    metrics.add_sampler("relay", sample)


async def _sample_every_second() -> None:
    while True:
        await asyncio.sleep(metrics.SAMPLE_INTERVAL_S)
        metrics.sample()


def _install_browser_guard(app: FastAPI, settings: Settings) -> None:
    """Outermost (§13): Host and Origin are checked before anything else, in every auth mode.
    Listed origins also get CORS answers (preflights, readable responses) for a dashboard
    served elsewhere; no other origin does."""
    origins = set(settings.cors_origin_set)
    if settings.public_url:
        public = urlsplit(settings.public_url)
        origins.add(f"{public.scheme}://{public.netloc}".lower())
    if settings.cors_origin_set:
        app.add_middleware(
            CORSMiddleware,  # type: ignore[arg-type]
            allow_origins=sorted(settings.cors_origin_set),
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["Retry-After", "X-Request-Id"],
            allow_private_network=True,  # a listed dashboard on a public site may reach a local relay
        )
    app.add_middleware(
        BrowserGuard,  # type: ignore[arg-type]
        allowed_hosts=settings.allowed_host_set,
        allowed_origins=frozenset(origins),
    )


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
        elif message == "There was an error parsing the body":  # FastAPI's json.loads gave up (too deep)
            message = "invalid JSON body"
        return json_response({"error": message}, exc.status_code, getattr(exc, "headers", None))

    @app.exception_handler(ClientDisconnect)
    async def client_gone(_request: Request, _exc: ClientDisconnect) -> Response:
        # The client left, or the edge closed it mid-body (http_server.py: idle or too
        # slow): nobody hears an answer, and it is no error of ours to log.
        return Response(status_code=400)

    @app.exception_handler(DataError)
    async def data_error(_request: Request, exc: DataError) -> Response:
        # Safety net: a value the database refuses (validation should have caught it first).
        log.warning("database refused a value: %s", exc.orig)
        return json_response({"error": "a value is out of range or not storable"}, 400)

    @app.exception_handler(Exception)
    async def unexpected_error(_request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return json_response({"error": "internal error"}, 500)
