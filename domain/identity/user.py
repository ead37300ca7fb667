"""Users: one person across the iDance, Bachata Buddy and swing-coach clients (same email, same user)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidInput

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USERNAME = re.compile(r"^[\w.@+-]{3,150}$")

MIN_PASSWORD_LENGTH = 8
DIFFICULTIES = ("beginner", "intermediate", "advanced")
ENERGY_LEVELS = ("low", "medium", "high")
STYLES = ("romantic", "energetic", "sensual", "playful", "modern")


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"


def normalise_email(email: str) -> str:
    value = email.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise InvalidInput("Enter a valid email address.", field="email")
    return value


def check_username(username: str) -> str:
    value = username.strip()
    if not _USERNAME.match(value):
        raise InvalidInput(
            "Username must be 3-150 characters: letters, digits and @/./+/-/_ only.", field="username"
        )
    return value


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Password must be at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )
    return password


def username_from_email(email: str) -> str:
    local = re.sub(r"[^\w.+-]", "", email.split("@", 1)[0])
    return (local or "dancer")[:140].ljust(3, "0")


@dataclass(frozen=True, slots=True, kw_only=True)
class Preferences:
    """Choreography preferences (Bachata Buddy)."""

    difficulty: str = "beginner"
    energy_level: str = "medium"
    style: str = "modern"
    notifications: bool = True

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("difficulty", self.difficulty, DIFFICULTIES),
            ("energy_level", self.energy_level, ENERGY_LEVELS),
            ("style", self.style, STYLES),
        ):
            if value not in allowed:
                raise InvalidInput(f"Invalid {name}. Must be one of: {', '.join(allowed)}", field=name)


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    id: str
    email: str
    username: str
    display_name: str
    password_hash: str | None
    role: Role = Role.USER
    avatar_url: str | None = None
    bio: str = ""
    level: int = 1
    preferences: Preferences = field(default_factory=Preferences)
    created_at: datetime
    updated_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def with_profile(
        self,
        *,
        now: datetime,
        display_name: str | None = None,
        avatar_url: str | None = None,
        bio: str | None = None,
    ) -> User:
        if display_name is not None and not display_name.strip():
            raise InvalidInput("Display name cannot be empty.", field="displayName")
        if display_name is not None and len(display_name) > 80:
            raise InvalidInput("Display name is at most 80 characters.", field="displayName")
        if avatar_url is not None and avatar_url and not avatar_url.startswith(("http://", "https://")):
            raise InvalidInput("Avatar URL must be an http(s) URL.", field="avatarUrl")
        return replace(
            self,
            display_name=display_name.strip() if display_name is not None else self.display_name,
            avatar_url=avatar_url if avatar_url is not None else self.avatar_url,
            bio=bio if bio is not None else self.bio,
            updated_at=now,
        )
