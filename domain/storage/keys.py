"""Blob keys: where a user's files live, and who may touch them.

A key is a relative POSIX path of safe segments. User files live under ``<area>/<user_id>/...``,
so ownership is a property of the key itself and needs no lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import Forbidden, InvalidInput

USER_AREAS = ("uploads", "sessions", "challenges", "avatars", "videos", "breakdowns", "thumbnails")
SYSTEM_AREAS = ("demos", "pose-data", "reports", "songs", "moves", "renders")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+=@-]{0,127}$")
MAX_KEY_LENGTH = 512
RESERVED_SUFFIX = ".meta"  # the local store keeps a file's content type beside it under this suffix
_VALID: dict[str, BlobKey] = {}  # keys already checked: a feed page parses the same 40 keys on every read
_VALID_KEPT = 10_000


@dataclass(frozen=True, slots=True)
class BlobKey:
    value: str

    @staticmethod
    def parse(raw: str) -> BlobKey:
        known = _VALID.get(raw)
        if known is not None:
            return known
        key = BlobKey._check(raw)
        if len(_VALID) >= _VALID_KEPT:
            _VALID.clear()
        _VALID[raw] = key
        return key

    @staticmethod
    def _check(raw: str) -> BlobKey:
        if not raw or len(raw) > MAX_KEY_LENGTH:
            raise InvalidInput("File key must be 1-512 characters.", field="file_key")
        if raw.startswith("/") or "\\" in raw or "\x00" in raw:
            raise InvalidInput("File key must be a relative path.", field="file_key")
        segments = raw.split("/")
        if any(s in ("", ".", "..") for s in segments):
            raise InvalidInput("File key may not contain empty, '.' or '..' segments.", field="file_key")
        if not all(_SEGMENT.match(s) for s in segments):
            raise InvalidInput(
                "File key segments may hold letters, digits and . _ - + = @ only.", field="file_key"
            )
        if segments[-1].lower().endswith(RESERVED_SUFFIX):
            raise InvalidInput(f"File names may not end in {RESERVED_SUFFIX} (kept for the store's own metadata).",
                               field="file_key")
        if segments[0] not in USER_AREAS + SYSTEM_AREAS:
            raise InvalidInput(
                f"File key must start with one of: {', '.join(USER_AREAS + SYSTEM_AREAS)}.",
                field="file_key",
            )
        return BlobKey(raw)

    @staticmethod
    def for_user(area: str, user_id: str, *rest: str) -> BlobKey:
        return BlobKey.parse("/".join((area, user_id, *rest)))

    @property
    def area(self) -> str:
        return self.value.split("/", 1)[0]

    @property
    def owner_id(self) -> str | None:
        parts = self.value.split("/")
        if self.area in USER_AREAS and len(parts) >= 3:
            return parts[1]
        return None

    @property
    def filename(self) -> str:
        return self.value.rsplit("/", 1)[-1]

    def check_access(self, user_id: str, *, is_admin: bool) -> None:
        """Users reach only their own area; admins reach every key."""
        if is_admin:
            return
        if self.owner_id != user_id:
            raise Forbidden("You do not have permission to access this file.")

    def __str__(self) -> str:
        return self.value
