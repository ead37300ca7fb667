"""Identifiers: 24 hex characters, time-ordered (4 bytes of Unix seconds, 8 random bytes).

The clients were written against 24-hex ids, so ours keep that shape; the time prefix keeps
index inserts local and makes ids sort roughly by creation.
"""

import os
import re
import time

_ID = re.compile(r"^[0-9a-f]{24}$")


def new_id(now: float | None = None) -> str:
    seconds = int(time.time() if now is None else now) & 0xFFFFFFFF
    return f"{seconds:08x}{os.urandom(8).hex()}"


def is_id(value: str) -> bool:
    return bool(_ID.match(value))
