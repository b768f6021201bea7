"""The durable event log, the in-process hub, and the SSE route built on them."""
