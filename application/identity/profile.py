from __future__ import annotations

from dataclasses import dataclass, replace

from application.ports.persistence import TransactionManager, UserRepository
from application.ports.system import Clock
from domain.errors import NotFound
from domain.identity.user import Preferences, User


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileUpdate:
    user_id: str
    display_name: str | None = None
    avatar_url: str | None = None
    bio: str | None = None


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
        await self.users.save(updated)
        await self.tx.commit()
        return updated


@dataclass(frozen=True, slots=True, kw_only=True)
class PreferencesUpdate:
    user_id: str
    difficulty: str | None = None
    energy_level: str | None = None
    style: str | None = None
    notifications: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdatePreferences:
    users: UserRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self, cmd: PreferencesUpdate) -> User:
        user = await self.users.get(cmd.user_id)
        if user is None:
            raise NotFound("User not found")
        current = user.preferences
        prefs = Preferences(
            difficulty=cmd.difficulty if cmd.difficulty is not None else current.difficulty,
            energy_level=cmd.energy_level if cmd.energy_level is not None else current.energy_level,
            style=cmd.style if cmd.style is not None else current.style,
            notifications=cmd.notifications if cmd.notifications is not None else current.notifications,
        )
        updated = replace(user, preferences=prefs, updated_at=self.clock.now())
        await self.users.save(updated)
        await self.tx.commit()
        return updated
