"""The ASGI entry point uvicorn imports (in each worker process)."""

from agent_relay.app import create_app

app = create_app()
