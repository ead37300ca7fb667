"""Who is calling: a bearer token from any client contract, turned into a user."""

from __future__ import annotations

from dataclasses import dataclass

from dishka import Provider, Scope, provide
from litestar import Request

from application.identity.login import Authenticate
from application.ports.system import TokenClaims
from domain.errors import Forbidden, Unauthenticated
from domain.identity.user import User

NOT_AUTHENTICATED = "Not authenticated"


@dataclass(frozen=True, slots=True)
class Caller:
    user: User
    claims: TokenClaims

    @property
    def id(self) -> str:
        return self.user.id

    def require_admin(self) -> None:
        if not self.user.is_admin:
            raise Forbidden("Admin access required")


def bearer_token(request: Request) -> str | None:  # type: ignore[type-arg]
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class AuthProvider(Provider):
    @provide(scope=Scope.REQUEST)
    async def caller(self, request: Request, authenticate: Authenticate) -> Caller:  # type: ignore[type-arg]
        token = bearer_token(request)
        if token is None:
            raise Unauthenticated(NOT_AUTHENTICATED)
        user, claims = await authenticate(token)
        return Caller(user=user, claims=claims)
