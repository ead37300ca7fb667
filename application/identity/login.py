from __future__ import annotations

from dataclasses import dataclass, replace

from application.identity.common import AuthResult, IdentityPolicy
from application.ports.persistence import RevokedTokenRepository, TransactionManager, UserRepository
from application.ports.system import Clock, PasswordHasher, TokenClaims, TokenService
from domain.errors import Unauthenticated
from domain.identity.user import Role, User

INVALID_CREDENTIALS = "Invalid credentials"


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginCommand:
    login: str  # an email, or a username
    password: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginWithPassword:
    users: UserRepository
    hasher: PasswordHasher
    tokens: TokenService
    tx: TransactionManager
    clock: Clock
    policy: IdentityPolicy

    async def __call__(self, cmd: LoginCommand) -> AuthResult:
        login = cmd.login.strip()
        user = await self.users.by_email(login.lower()) if "@" in login else None
        if user is None:
            user = await self.users.by_username(login)
        if user is None or user.password_hash is None:
            raise Unauthenticated(INVALID_CREDENTIALS)
        if not await self.hasher.verify(user.password_hash, cmd.password):
            raise Unauthenticated(INVALID_CREDENTIALS)
        user = await promote_if_listed(user, self.policy, self.users, self.tx, self.clock)
        return AuthResult(user=user, tokens=self.tokens.issue(user.id, user.role.value))


async def promote_if_listed(
    user: User, policy: IdentityPolicy, users: UserRepository, tx: TransactionManager, clock: Clock
) -> User:
    """An email added to ADMIN_EMAILS after sign-up becomes admin at its next login."""
    if user.role is Role.USER and policy.role_for(user.email) is Role.ADMIN:
        user = replace(user, role=Role.ADMIN, updated_at=clock.now())
        await users.save(user)
        await tx.commit()
    return user


@dataclass(frozen=True, slots=True, kw_only=True)
class Authenticate:
    """Turns a bearer token into the user it belongs to."""

    users: UserRepository
    tokens: TokenService

    async def __call__(self, token: str) -> tuple[User, TokenClaims]:
        claims = self.tokens.decode(token, "access")
        user, revoked = await self.users.for_token(claims.user_id, claims.token_id)
        if revoked:
            raise Unauthenticated("Token has been revoked.")
        if user is None:
            raise Unauthenticated("User no longer exists.")
        return user, claims


@dataclass(frozen=True, slots=True, kw_only=True)
class RefreshTokens:
    users: UserRepository
    tokens: TokenService
    revoked: RevokedTokenRepository
    tx: TransactionManager

    async def __call__(self, refresh_token: str) -> AuthResult:
        claims = self.tokens.decode(refresh_token, "refresh")
        if await self.revoked.is_revoked(claims.token_id):
            raise Unauthenticated("Token has been revoked.")
        user = await self.users.get(claims.user_id)
        if user is None:
            raise Unauthenticated("User no longer exists.")
        # Rotation: a refresh token works once.
        await self.revoked.revoke(claims.token_id, claims.expires_at)
        await self.tx.commit()
        return AuthResult(user=user, tokens=self.tokens.issue(user.id, user.role.value))


@dataclass(frozen=True, slots=True, kw_only=True)
class Logout:
    revoked: RevokedTokenRepository
    tokens: TokenService
    tx: TransactionManager

    async def __call__(self, access: TokenClaims, refresh_token: str | None = None) -> None:
        await self.revoked.revoke(access.token_id, access.expires_at)
        if refresh_token:
            try:
                refresh = self.tokens.decode(refresh_token, "refresh")
            except Unauthenticated:
                refresh = None
            if refresh is not None and refresh.user_id == access.user_id:
                await self.revoked.revoke(refresh.token_id, refresh.expires_at)
        await self.tx.commit()
