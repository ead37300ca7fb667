from __future__ import annotations

from datetime import UTC, datetime

import msgspec


class Camel(msgspec.Struct, rename="camel", kw_only=True):
    """iDance bodies are camelCase."""


def iso(value: datetime | None) -> str | None:
    """UTC, to the second, with a Z: the clients' format. (isoformat is several times faster than strftime.)"""
    if value is None:
        return None
    if value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


class Message(msgspec.Struct):
    message: str
