from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from application.identity.common import AuthResult, DecoyPasswordHash, IdentityPolicy
from application.identity.throttling import Guard
from application.ports.persistence import RevokedTokenRepository, TransactionManager, UserRepository
from application.ports.system import Clock, PasswordHasher, TokenClaims, TokenPair, TokenService
from domain.errors import Unauthenticated
from domain.identity.user import Role, User, login_key

INVALID_CREDENTIALS = "Invalid credentials"
# Longer than any password we ever accepted (128) yet short enough that hashing it costs nothing unusual.
MAX_LOGIN_PASSWORD = 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginCommand:
    login: str  # an email, or a username
    password: str
    client: str | None = None  # the caller's address, for throttling; None from trusted code (CLI, seeds)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginWithPassword:
    users: UserRepository
    hasher: PasswordHasher
    tokens: TokenService
    tx: TransactionManager
    clock: Clock
    policy: IdentityPolicy
    guard: Guard
    decoy: DecoyPasswordHash

    async def __call__(self, cmd: LoginCommand) -> AuthResult:
        login = login_key(cmd.login)
        user = await self.users.by_email(login) if "@" in login else None
        if user is None:
            user = await self.users.by_username(unicodedata.normalize("NFKC", cmd.login).strip())
        account = user.id if user is not None else login
        now = self.clock.now().timestamp()
        await self.guard.before_login(account, cmd.client, now)
        password = cmd.password if len(cmd.password) <= MAX_LOGIN_PASSWORD else ""
        if user is None or user.password_hash is None:
            # Hash anyway, so the answer takes as long as for a real account: timing tells no emails.
            await self.hasher.verify(self.decoy.value, password)
            ok = False
        else:
            ok = bool(password) and await self.hasher.verify(user.password_hash, password)
        if user is None or not ok:
            await self.guard.login_failed(account, cmd.client, now)
            raise Unauthenticated(INVALID_CREDENTIALS)
        await self.guard.login_succeeded(account)
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
        # Revocation is per login (the session every token of one sign-in shares), so a logout ends them all.
        user, revoked = await self.users.for_token(claims.user_id, claims.session_id)
        if revoked:
            raise Unauthenticated("Token has been revoked.")
        if user is None:
            raise Unauthenticated("User no longer exists.")
        return user, claims


@dataclass(frozen=True, slots=True, kw_only=True)
class RefreshTokens:
    users: UserRepository
    tokens: TokenService

    async def __call__(self, refresh_token: str) -> AuthResult:
        """A new access token in the same login; the refresh token itself stays valid until it expires or
        its login is logged out (the Bachata client re-sends its first refresh token on every page load,
        sometimes twice at once, so rotating it would sign the user out). A token revoked by a logout (or
        by the rotation of earlier versions) is refused."""
        claims = self.tokens.decode(refresh_token, "refresh")
        user, revoked = await self.users.for_token(claims.user_id, claims.session_id)
        if revoked:
            raise Unauthenticated("Token has been revoked.")
        if user is None:
            raise Unauthenticated("User no longer exists.")
        issued = self.tokens.issue(user.id, user.role.value, session=claims)
        return AuthResult(user=user, tokens=TokenPair(access=issued.access, refresh=refresh_token,
                                                      access_expires_in=issued.access_expires_in))


@dataclass(frozen=True, slots=True, kw_only=True)
class Logout:
    revoked: RevokedTokenRepository
    tokens: TokenService
    tx: TransactionManager

    async def __call__(self, access: TokenClaims, refresh_token: str | None = None) -> None:
        """Ends the login the access token belongs to: its refresh token and every access token of it.
        A refresh token sent along (of the same user) ends its own login too."""
        await self.revoked.revoke(access.session_id, access.session_expires_at)
        if refresh_token:
            try:
                refresh = self.tokens.decode(refresh_token, "refresh")
            except Unauthenticated:
                refresh = None
            if refresh is not None and refresh.user_id == access.user_id:
                await self.revoked.revoke(refresh.session_id, refresh.session_expires_at)
        await self.tx.commit()
