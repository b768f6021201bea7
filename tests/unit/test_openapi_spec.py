

def test_sdk_does_not_need_the_server() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import agent_relay_client, agent_relay_client.cli, agent_relay_client.agent; "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('agent_relay', 'fastapi', 'sqlalchemy')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT / "sdk")
