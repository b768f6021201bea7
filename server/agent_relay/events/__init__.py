"""The durable event log, the in-process hub, and the event bus that joins them to the
writer (bus.py). Imports no domain package: the SSE route lives in agent_relay.stream."""
