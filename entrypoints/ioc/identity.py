"""Identity: passwords, tokens, identity providers, users, and the identity use cases of every client."""

from __future__ import annotations

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.security.oidc import DEFAULT_PROVIDERS, JwksIdentityVerifier, OidcProvider
from adapters.security.passwords import Argon2PasswordHasher
from adapters.security.recent_tokens import RecentTokens
from adapters.security.tokens import JwtTokenService
from adapters.sqla.repositories import SqlaRevokedTokenRepository, SqlaUserRepository
from adapters.sqla.stats import SqlaUserStatsReader
from application.identity.admin import EnsureAccount
from application.identity.common import IdentityPolicy
from application.identity.login import Authenticate, LoginWithPassword, Logout, RefreshTokens
from application.identity.oauth import LoginWithIdentityProvider
from application.identity.profile import UpdatePreferences, UpdateProfile
from application.identity.providers import ListLinkedProviders
from application.identity.register import RegisterUser
from application.identity.stats import GetUserStats, UserStatsReader
from application.ports.persistence import RevokedTokenRepository, UserRepository
from application.ports.system import Clock, IdentityProviderVerifier, PasswordHasher, TokenService
from entrypoints.settings import Settings


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


class IdentityProvider(Provider):
    scope = Scope.APP

    @provide
    def hasher(self) -> PasswordHasher:
        return Argon2PasswordHasher()

    @provide
    def tokens(self, settings: Settings, clock: Clock) -> TokenService:
        return JwtTokenService(settings.jwt_secret, clock)

    @provide
    def verifier(self, settings: Settings) -> IdentityProviderVerifier:
        providers = {}
        for name, (_default_url, issuer) in DEFAULT_PROVIDERS.items():
            providers[name] = OidcProvider(
                name=name,
                jwks_url=getattr(settings, f"oidc_{name}_jwks_url"),
                issuer_pattern=issuer,
                client_ids=_split(getattr(settings, f"oidc_{name}_client_ids")),
            )
        return JwksIdentityVerifier(providers)

    @provide
    def recent_tokens(self, settings: Settings) -> RecentTokens:
        return RecentTokens(ttl=settings.auth_cache_seconds)

    @provide
    def identity_policy(self, settings: Settings) -> IdentityPolicy:
        return IdentityPolicy(admin_emails=settings.admin_email_set)

    @provide(scope=Scope.REQUEST)
    def users(self, session: AsyncSession, recent: RecentTokens) -> UserRepository:
        return SqlaUserRepository(session, recent)

    @provide(scope=Scope.REQUEST)
    def revoked(self, session: AsyncSession, recent: RecentTokens) -> RevokedTokenRepository:
        return SqlaRevokedTokenRepository(session, recent)

    stats_reader = provide(SqlaUserStatsReader, provides=UserStatsReader, scope=Scope.REQUEST)

    register = provide(RegisterUser, scope=Scope.REQUEST)
    login = provide(LoginWithPassword, scope=Scope.REQUEST)
    authenticate = provide(Authenticate, scope=Scope.REQUEST)
    refresh = provide(RefreshTokens, scope=Scope.REQUEST)
    logout = provide(Logout, scope=Scope.REQUEST)
    oauth = provide(LoginWithIdentityProvider, scope=Scope.REQUEST)
    update_profile = provide(UpdateProfile, scope=Scope.REQUEST)
    update_preferences = provide(UpdatePreferences, scope=Scope.REQUEST)
    user_stats = provide(GetUserStats, scope=Scope.REQUEST)
    linked_providers = provide(ListLinkedProviders, scope=Scope.REQUEST)
    ensure_account = provide(EnsureAccount, scope=Scope.REQUEST)
