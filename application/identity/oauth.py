from __future__ import annotations

from dataclasses import dataclass

from application.identity.common import AuthResult, IdentityPolicy, username_for_email
from application.identity.login import promote_if_listed
from application.ports.persistence import TransactionManager, UserRepository
from application.ports.system import Clock, IdentityProviderVerifier, TokenService
from domain.errors import Conflict, Unauthenticated
from domain.identity.user import User, normalise_email
from domain.ids import new_id

PROVIDERS = ("google", "microsoft", "linkedin")


@dataclass(frozen=True, slots=True, kw_only=True)
class OAuthCommand:
    provider: str
    id_token: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginWithIdentityProvider:
    """Verify an OpenID Connect ID token, then link it to the user with that email or create one."""

    users: UserRepository
    verifier: IdentityProviderVerifier
    tokens: TokenService
    tx: TransactionManager
    clock: Clock
    policy: IdentityPolicy

    async def __call__(self, cmd: OAuthCommand) -> AuthResult:
        identity = await self.verifier.verify(cmd.provider, cmd.id_token)
        now = self.clock.now()
        user = await self.users.by_identity(identity.provider, identity.subject)
        if user is None:
            if not identity.email or not identity.email_verified:
                raise Unauthenticated("The identity provider did not vouch for an email address.")
            email = normalise_email(identity.email)
            user = await self.users.by_email(email)
            if user is None and await self.users.lookalike_of(email) is not None:
                raise Conflict("This email looks the same as an existing account's.")
            if user is None:
                username = await username_for_email(self.users, email)
                user = User(
                    id=new_id(now.timestamp()),
                    email=email,
                    username=username,
                    display_name=(identity.name or username)[:80],
                    password_hash=None,
                    role=self.policy.role_for(email),
                    created_at=now,
                    updated_at=now,
                )
                await self.users.add(user)
            await self.users.link_identity(user.id, identity.provider, identity.subject, now)
            await self.tx.commit()
        user = await promote_if_listed(user, self.policy, self.users, self.tx, self.clock)
        return AuthResult(user=user, tokens=self.tokens.issue(user.id, user.role.value))
