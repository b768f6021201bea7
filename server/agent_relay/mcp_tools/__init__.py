"""The relay as MCP tools (contract §16): streamable HTTP at `/mcp`, built on the official
`mcp` SDK's low-level server. `tools` holds the eight tool definitions and the server
instructions, `service` what each tool does (through the domain services, as the caller's
agent), `present` the text an LLM reads, `endpoint` the ASGI app that knows who is calling.
(Not named `mcp`: that would shadow the SDK.)"""
