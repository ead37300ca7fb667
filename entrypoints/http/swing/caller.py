"""Who calls the swing coach: a bearer token's user, or (the FutureGolf app sends no credentials, and only where
SWING_ANONYMOUS_APP is on) the app's one anonymous account. Never the form's ``user_id``."""

from __future__ import annotations

from dataclasses import dataclass

from dishka import Provider, Scope, provide
from litestar import Request

from application.coaching.anonymous import AnonymousAppAccount
from application.coaching.requests import Requester
from application.identity.login import Authenticate
from domain.errors import Unauthenticated
from entrypoints.http.auth import NOT_AUTHENTICATED, bearer_token
from entrypoints.settings import Settings


@dataclass(frozen=True, slots=True)
class AppCaller:
    """For the app's calls: the token's user when one is sent, else the anonymous app account."""

    requester: Requester


class SwingCallerProvider(Provider):
    @provide(scope=Scope.REQUEST)
    async def app_caller(self, request: Request, authenticate: Authenticate,  # type: ignore[type-arg]
                         anonymous: AnonymousAppAccount, settings: Settings) -> AppCaller:
        token = bearer_token(request)
        if token is not None:
            user, _ = await authenticate(token)
            return AppCaller(Requester(user))
        if not settings.swing_anonymous_app:
            raise Unauthenticated(NOT_AUTHENTICATED)
        return AppCaller(Requester(await anonymous(), anonymous=True))
