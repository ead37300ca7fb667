"""Users: one person across the iDance, Bachata Buddy and swing-coach clients (same email, same user).

Text hygiene follows Unicode's security guidance: identifiers are NFKC-normalised (UAX #15; UTS #39 section 5
recommends NFKC so that full-width and other compatibility forms collapse onto their plain letters) and any
character of the general category "Other" (Cc controls such as NUL, Cf formats such as U+200B ZERO WIDTH SPACE,
Cs, Co, Cn) is refused, since it is invisible or meaningless in a name. The password rules follow NIST SP
800-63B section 5.1.1.2: at least 8 characters, a generous maximum (128 here, to bound hashing work), and not a
known common password.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidInput
from domain.identity.common_passwords import COMMON_PASSWORDS

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# No "@": a username must never be mistaken for someone else's email at login.
_USERNAME = re.compile(r"^[\w.+-]{3,150}$")

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
DIFFICULTIES = ("beginner", "intermediate", "advanced")
ENERGY_LEVELS = ("low", "medium", "high")
STYLES = ("romantic", "energetic", "sensual", "playful", "modern")


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"


def has_invisible(value: str) -> bool:
    """Controls, formats (zero-width characters, bidi overrides), surrogates, private-use or unassigned."""
    return any(unicodedata.category(ch).startswith("C") for ch in value)


def normalise_email(email: str) -> str:
    value = unicodedata.normalize("NFKC", email).strip().lower()
    if len(value) > 254 or has_invisible(value) or not _EMAIL.match(value):
        raise InvalidInput("Enter a valid email address.", field="email")
    return value


def login_key(login: str) -> str:
    """What a login names, normalised as stored emails are (an email or a username)."""
    return unicodedata.normalize("NFKC", login).strip().lower()


def check_username(username: str) -> str:
    value = unicodedata.normalize("NFKC", username).strip()
    if has_invisible(value) or not _USERNAME.match(value):
        raise InvalidInput(
            "Username must be 3-150 characters: letters, digits and ./+/-/_ only.", field="username"
        )
    return value


def password_problems(password: str) -> list[str]:
    """Every rule the password breaks (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Password must be at least {MIN_PASSWORD_LENGTH} characters.")
    elif len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"Password must be at most {MAX_PASSWORD_LENGTH} characters.")
    elif not password.strip():
        problems.append("Password cannot be only spaces.")
    elif password.strip().casefold() in COMMON_PASSWORDS:
        problems.append("This password is too common.")
    if "\x00" in password:
        problems.append("Password cannot contain a NUL character.")
    return problems


def check_password(password: str) -> str:
    problems = password_problems(password)
    if problems:
        raise InvalidInput(problems[0], field="password")
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
    # The original Bachata Buddy's own three, with its defaults.
    auto_save_choreographies: bool = True
    default_difficulty: str = "intermediate"
    email_notifications: bool = False

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("difficulty", self.difficulty, DIFFICULTIES),
            ("energy_level", self.energy_level, ENERGY_LEVELS),
            ("style", self.style, STYLES),
        ):
            if value not in allowed:
                raise InvalidInput(f"Invalid {name}. Must be one of: {', '.join(allowed)}", field=name)
        if self.default_difficulty not in DIFFICULTIES:
            raise InvalidInput(f'"{self.default_difficulty}" is not a valid choice.', field="default_difficulty")


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
    is_instructor: bool = False
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
