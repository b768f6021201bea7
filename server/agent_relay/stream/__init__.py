"""GET /api/events: the SSE route over the event bus (the events package itself stays
free of HTTP and domain code)."""
