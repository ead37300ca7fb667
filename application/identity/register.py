from __future__ import annotations

from dataclasses import dataclass

from application.identity.common import AuthResult, IdentityPolicy, username_for_email
from application.ports.persistence import TransactionManager, UserRepository
from application.ports.system import Clock, PasswordHasher, TokenService
from domain.errors import Conflict
from domain.identity.user import User, check_password, check_username, normalise_email
from domain.ids import new_id


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterCommand:
    email: str
    password: str
    display_name: str | None = None
    username: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterUser:
    users: UserRepository
    hasher: PasswordHasher
    tokens: TokenService
    tx: TransactionManager
    clock: Clock
    policy: IdentityPolicy

    async def __call__(self, cmd: RegisterCommand) -> AuthResult:
        email = normalise_email(cmd.email)
        password = check_password(cmd.password)
        if await self.users.by_email(email) is not None:
            raise Conflict("A user with this email already exists.")
        if cmd.username is not None:
            username = check_username(cmd.username)
            if await self.users.by_username(username) is not None:
                raise Conflict("A user with that username already exists.")
        else:
            username = await username_for_email(self.users, email)
        now = self.clock.now()
        display = (cmd.display_name or "").strip() or username
        user = User(
            id=new_id(now.timestamp()),
            email=email,
            username=username,
            display_name=display[:80],
            password_hash=await self.hasher.hash(password),
            role=self.policy.role_for(email),
            created_at=now,
            updated_at=now,
        )
        await self.users.add(user)  # unique constraints catch a racing duplicate
        await self.tx.commit()
        return AuthResult(user=user, tokens=self.tokens.issue(user.id, user.role.value))
