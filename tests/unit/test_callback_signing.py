from __future__ import annotations

import hashlib
import hmac

from agent_relay.settings import Settings
from agent_relay.tasks.callbacks import backoff_ms, sign


def test_signature_is_hmac_sha256_of_the_exact_body() -> None:
    body = b'{"id":1,"status":"done"}'
    assert sign("s3cret", body) == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert sign("s3cret", body + b" ") != sign("s3cret", body)


def test_backoff_doubles_with_jitter_and_a_cap() -> None:
    settings = Settings(callback_backoff_base_ms=1000, callback_backoff_max_ms=5000)
    for attempt, full in ((1, 1000), (2, 2000), (3, 4000), (4, 5000), (9, 5000)):
        delays = {backoff_ms(attempt, settings) for _ in range(50)}
        assert all(full / 2 <= d <= full for d in delays), (attempt, delays)
        assert len(delays) > 1, "jittered"


def test_secrets_fall_back_to_the_integration_token() -> None:
    settings = Settings(integration_tokens="ci=tok-ci,mon=tok-mon", integration_secrets="ci=s3cret")
    assert settings.integration_secret_map == {"ci": "s3cret", "mon": "tok-mon"}
