"""Wall-clock milliseconds since the epoch: the relay's only time unit on the wire."""

import time


def now_ms() -> int:
    return time.time_ns() // 1_000_000
