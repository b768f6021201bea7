"""Echo agent: registers, waits for work, claims it and replies. Uses AGENT_RELAY_URL / AGENT_RELAY_TOKEN."""

from agent_relay_client import RelayAgent

with RelayAgent("echo", label="echo", capabilities=["echo"]) as agent:
    for message in agent.messages(wait=25):  # long-polls the inbox; ends if a newer "echo" takes over
        if message.claimable and not agent.claim(message):
            continue  # another echo agent got it first
        agent.reply(message, f"echo: {message.body}")
        agent.ack(message)
