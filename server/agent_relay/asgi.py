"""The ASGI entry point uvicorn imports (in each worker process)."""

from agent_relay import logs
from agent_relay.app import create_app

logs.lighten_records()  # a served process: its log records need no caller or thread fields
app = create_app()
