from __future__ import annotations

from dataclasses import dataclass, replace

from application.ports.persistence import TransactionManager, UserRepository
from application.ports.system import Clock
from domain.errors import InvalidInput, NotFound
from domain.identity.user import Preferences, User, normalise_email


@dataclass(frozen=True, slots=True, kw_only=True)
class PreferencesUpdate:
    user_id: str
    difficulty: str | None = None
    energy_level: str | None = None
    style: str | None = None
    notifications: bool | None = None
    auto_save_choreographies: bool | None = None
    default_difficulty: str | None = None
    email_notifications: bool | None = None


def changed_preferences(current: Preferences, cmd: PreferencesUpdate) -> Preferences:
    """The given fields changed, the others kept; a bad value raises InvalidInput naming its field."""
    changes = {name: getattr(cmd, name) for name in (
        "difficulty", "energy_level", "style", "notifications", "auto_save_choreographies",
        "default_difficulty", "email_notifications") if getattr(cmd, name) is not None}
    return replace(current, **changes)  # validated in Preferences.__post_init__


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileUpdate:
    user_id: str
    display_name: str | None = None
    avatar_url: str | None = None
    bio: str | None = None
    email: str | None = None  # Bachata Buddy's /api/auth/me/ lets the user change it
    preferences: PreferencesUpdate | None = None  # and its preferences, in the same request


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateProfile:
    users: UserRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self, cmd: ProfileUpdate) -> User:
        user = await self.users.get(cmd.user_id)
        if user is None:
            raise NotFound("User not found")
        updated = user.with_profile(
            now=self.clock.now(), display_name=cmd.display_name, avatar_url=cmd.avatar_url, bio=cmd.bio
        )
        if cmd.email is not None:
            email = normalise_email(cmd.email)
            if email != user.email:
                # The same rules as at sign-up: unique, and no look-alike of another account's address.
                if await self.users.by_email(email) is not None:
                    raise InvalidInput("A user with this email already exists.", field="email")
                other = await self.users.lookalike_of(email)
                if other is not None and other.id != user.id:
                    raise InvalidInput("This email looks the same as an existing account's.", field="email")
                updated = replace(updated, email=email)
        if cmd.preferences is not None:
            updated = replace(updated, preferences=changed_preferences(updated.preferences, cmd.preferences))
        await self.users.save(updated)
        await self.tx.commit()
        return updated


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdatePreferences:
    users: UserRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self, cmd: PreferencesUpdate) -> User:
        user = await self.users.get(cmd.user_id)
        if user is None:
            raise NotFound("User not found")
        prefs = changed_preferences(user.preferences, cmd)
        updated = replace(user, preferences=prefs, updated_at=self.clock.now())
        await self.users.save(updated)
        await self.tx.commit()
        return updated
