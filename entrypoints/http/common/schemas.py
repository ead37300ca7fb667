from __future__ import annotations

from datetime import datetime

import msgspec


class Camel(msgspec.Struct, rename="camel", kw_only=True):
    """iDance bodies are camelCase."""


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    from datetime import UTC

    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Message(msgspec.Struct):
    message: str
