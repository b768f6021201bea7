"""The connector environment scrub (issue #12 item 7): names and values that carry
credentials never reach a connector's process; ordinary variables do."""

from __future__ import annotations

import pytest
from agent_relay.connectors.runner import is_secret_env

# Each of these went through before (name rule, then value rule).
SECRET_NAMES = [
    "HTTP_AUTHORIZATION", "GITHUB_PAT", "CI_JOB_JWT", "MY_CREDS", "SESSION_ID", "SIGNING_CERT",
    "MY_CRED", "PROXY_BEARER", "SQL_CONN_STR", "AZURE_STORAGE_CONNECTION_STRING", "TWILIO_SID",
]  # fmt: skip
SECRET_VALUES = [
    "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=bm90LWEta2V5;EndpointSuffix=core.windows.net",
    "Server=db;Database=app;User Id=sa;Password=hunter2;",
    "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=abc=",
    "BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2020&sig=abc",
    "postgres://u:p/w@h/db",  # a / in the password
    "postgresql://user:pa?ss@db.internal:5432/app",
    "https://ghp_abc@github.com/o/r.git",
    "mysql://root:secret@localhost/db",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----",
    "ghp_" + "a" * 36,
    "xoxb-1234567890-abcdefghij",
    "AKIA" + "ABCDEFGHIJKLMNOP",
]


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_secret_names_are_dropped(name: str) -> None:
    assert is_secret_env(name, "x")


@pytest.mark.parametrize("value", SECRET_VALUES)
def test_secret_values_are_dropped(value: str) -> None:
    assert is_secret_env("SOMETHING", value)
    assert is_secret_env("DB_URL", value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ("HOME", "/home/me"),
        ("LANG", "C.UTF-8"),
        ("TERM", "xterm-256color"),
        ("PWD", "/work"),
        ("GIT_AUTHOR_NAME", "Ada"),
        ("GIT_AUTHOR_EMAIL", "ada@example.com"),
        ("GIT_COMMITTER_NAME", "Ada"),
        ("AUTHORS_FILE", "AUTHORS"),
        ("PYTHONPATH", "/srv/lib"),
        ("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt"),
        ("CREDIT_LIMIT", "10"),
        ("UPSTREAM", "https://example.com/a@b"),
        ("REGISTRY", "https://registry.example:443/@scope/pkg"),
        ("HTTP_PROXY", "http://proxy.internal:3128/"),
        ("NOTE", "mail me at ada@example.com"),
    ],
)
def test_ordinary_variables_are_kept(name: str, value: str) -> None:
    assert not is_secret_env(name, value)
