"""Swing-coach identity under /api/v1/auth, including OpenID Connect sign-in."""

from __future__ import annotations

from typing import Annotated

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Router, get, post

from application.identity.common import AuthResult
from application.identity.login import LoginCommand, LoginWithPassword, Logout
from application.identity.oauth import PROVIDERS, LoginWithIdentityProvider, OAuthCommand
from application.identity.providers import ListLinkedProviders
from application.identity.register import RegisterCommand, RegisterUser
from domain.identity.user import User
from entrypoints.http.auth import Caller
from entrypoints.http.client_address import ClientAddress
from entrypoints.http.common.schemas import iso


class UserOut(msgspec.Struct):
    id: str
    email: str
    full_name: str
    username: str
    role: str
    auth_providers: list[str]
    created_at: str | None


def user_out(user: User, providers: list[str]) -> UserOut:
    methods = (["password"] if user.password_hash else []) + providers
    return UserOut(id=user.id, email=user.email, full_name=user.display_name, username=user.username,
                   role=user.role.value, auth_providers=methods, created_at=iso(user.created_at))


class AuthOut(msgspec.Struct):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    user: UserOut


async def auth_out(result: AuthResult, linked: ListLinkedProviders) -> AuthOut:
    return AuthOut(access_token=result.tokens.access, refresh_token=result.tokens.refresh, token_type="bearer",
                   expires_in=result.tokens.access_expires_in,
                   user=user_out(result.user, await linked(result.user.id)))


class RegisterBody(msgspec.Struct, kw_only=True):
    email: str
    password: str
    full_name: Annotated[str, msgspec.Meta(max_length=80)] | None = None


class LoginBody(msgspec.Struct):
    email: str
    password: str


class OAuthBody(msgspec.Struct):
    provider: Annotated[str, msgspec.Meta(pattern="^(google|microsoft|linkedin)$",
                                          description=f"one of {', '.join(PROVIDERS)}")]
    id_token: Annotated[str, msgspec.Meta(min_length=1)]


@post("/register", status_code=201)
@inject
async def register(data: RegisterBody, use_case: FromDishka[RegisterUser],
                   linked: FromDishka[ListLinkedProviders], client: FromDishka[ClientAddress]) -> AuthOut:
    result = await use_case(RegisterCommand(email=data.email, password=data.password,
                                            display_name=data.full_name, client=client.value))
    return await auth_out(result, linked)


@post("/login", status_code=200)
@inject
async def login(data: LoginBody, use_case: FromDishka[LoginWithPassword],
                linked: FromDishka[ListLinkedProviders], client: FromDishka[ClientAddress]) -> AuthOut:
    result = await use_case(LoginCommand(login=data.email, password=data.password, client=client.value))
    return await auth_out(result, linked)


@post("/oauth", status_code=200)
@inject
async def oauth(data: OAuthBody, use_case: FromDishka[LoginWithIdentityProvider],
                linked: FromDishka[ListLinkedProviders]) -> AuthOut:
    return await auth_out(await use_case(OAuthCommand(provider=data.provider, id_token=data.id_token)), linked)


class LogoutOut(msgspec.Struct):
    message: str


@post("/logout", status_code=200)
@inject
async def logout(request: Request, caller: FromDishka[Caller], use_case: FromDishka[Logout]) -> LogoutOut:  # type: ignore[type-arg]
    refresh_token: str | None = None
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        if body:
            try:
                value = msgspec.json.decode(body)
                refresh_token = value.get("refresh_token") if isinstance(value, dict) else None
            except msgspec.DecodeError:
                refresh_token = None
    await use_case(caller.claims, refresh_token)
    return LogoutOut(message="Successfully logged out")


@get("/me")
@inject
async def me(caller: FromDishka[Caller], linked: FromDishka[ListLinkedProviders]) -> UserOut:
    return user_out(caller.user, await linked(caller.id))


router = Router(path="/api/v1/auth", route_handlers=[register, login, oauth, logout, me],
                tags=["Swing coach: identity"])
