"""Bachata Buddy identity (Django REST style, snake_case, trailing slashes).

Spec 003's paths (`profile/`, `preferences/`, `token/refresh/`) and the original client's (`me/`, `refresh/`)
are served side by side. Login, register and `me/` answer the original's user object (`id`, `username`,
`email`, `display_name`, `is_instructor`, `preferences`) with our profile fields beside it.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, Router, get, post, put

from application.identity.common import AuthResult
from application.identity.login import LoginCommand, LoginWithPassword, Logout, RefreshTokens
from application.identity.profile import PreferencesUpdate, ProfileUpdate, UpdatePreferences, UpdateProfile
from application.identity.register import RegisterCommand, RegisterUser, RegistrationRejected
from domain.identity.user import User
from entrypoints.http.auth import Caller
from entrypoints.http.client_address import ClientAddress
from entrypoints.http.common.schemas import iso
from entrypoints.http.errors import DRF_ERRORS


class RegisterBody(msgspec.Struct, kw_only=True):
    username: Annotated[str, msgspec.Meta(description="3-150 letters, digits and ./+/-/_ (no @)")]
    email: str
    password: Annotated[str, msgspec.Meta(description="8-128 characters, not a common password")]
    password2: str | None = None
    display_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class PreferencesOut(msgspec.Struct):
    difficulty: str
    energy_level: str
    style: str
    notifications_enabled: bool
    auto_save_choreographies: bool
    default_difficulty: str
    email_notifications: bool


def preferences_out(user: User) -> PreferencesOut:
    p = user.preferences
    return PreferencesOut(difficulty=p.difficulty, energy_level=p.energy_level, style=p.style,
                          notifications_enabled=p.notifications,
                          auto_save_choreographies=p.auto_save_choreographies,
                          default_difficulty=p.default_difficulty, email_notifications=p.email_notifications)


class ProfileOut(msgspec.Struct):
    id: str
    username: str
    email: str
    display_name: str
    is_instructor: bool
    preferences: PreferencesOut
    avatar_url: str | None
    bio: str
    level: int
    is_admin: bool
    date_joined: str | None


def profile_out(user: User) -> ProfileOut:
    return ProfileOut(id=user.id, username=user.username, email=user.email, display_name=user.display_name,
                      # Every signed-in user may keep class plans (see README, "Collections and class plans").
                      is_instructor=True, preferences=preferences_out(user),
                      avatar_url=user.avatar_url, bio=user.bio, level=user.level, is_admin=user.is_admin,
                      date_joined=iso(user.created_at))


class AuthOut(msgspec.Struct):
    user: ProfileOut
    access: str
    refresh: str


def auth_out(result: AuthResult) -> AuthOut:
    return AuthOut(user=profile_out(result.user), access=result.tokens.access, refresh=result.tokens.refresh)


class LoginBody(msgspec.Struct):
    username: str
    password: str


class TokensOut(msgspec.Struct):
    access: str
    refresh: str


class RefreshBody(msgspec.Struct):
    refresh: str


@post("/register/", status_code=201)
@inject
async def register(data: RegisterBody, use_case: FromDishka[RegisterUser],
                   client: FromDishka[ClientAddress]) -> Response[Any]:
    name = data.display_name or " ".join(p for p in (data.first_name, data.last_name) if p) or None
    try:
        result = await use_case(RegisterCommand(email=data.email, password=data.password, display_name=name,
                                                username=data.username, password2=data.password2,
                                                client=client.value))
    except RegistrationRejected as exc:
        return Response(exc.errors, status_code=400)  # every field at once, as DRF reports them
    return Response(auth_out(result), status_code=201)


@post("/login/", status_code=200)
@inject
async def login(data: LoginBody, use_case: FromDishka[LoginWithPassword],
                client: FromDishka[ClientAddress]) -> AuthOut:
    return auth_out(await use_case(LoginCommand(login=data.username, password=data.password,
                                                client=client.value)))


@post(["/token/refresh/", "/refresh/"], status_code=200)
@inject
async def refresh(data: RefreshBody, use_case: FromDishka[RefreshTokens]) -> TokensOut:
    result = await use_case(data.refresh)
    return TokensOut(access=result.tokens.access, refresh=result.tokens.refresh)


class LogoutBody(msgspec.Struct):
    refresh: str | None = None


class DetailOut(msgspec.Struct):
    detail: str


@post("/logout/", status_code=200)
@inject
async def logout(request: Request[Any, Any, Any], caller: FromDishka[Caller],
                 use_case: FromDishka[Logout]) -> DetailOut:
    """Ends this login (its refresh token too); a `refresh` in the body ends that token's login as well."""
    body = await request.body()
    refresh_token = None
    if body:
        try:
            refresh_token = msgspec.json.decode(body, type=LogoutBody).refresh
        except (msgspec.DecodeError, msgspec.ValidationError):
            refresh_token = None
    await use_case(caller.claims, refresh_token)
    return DetailOut(detail="Successfully logged out.")


class ProfileBody(msgspec.Struct, kw_only=True):
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=80)] | None = None
    avatar_url: Annotated[str, msgspec.Meta(max_length=2048)] | None = None
    bio: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


@get("/profile/")
@inject
async def get_profile(caller: FromDishka[Caller]) -> ProfileOut:
    return profile_out(caller.user)


@put("/profile/")
@inject
async def update_profile(data: ProfileBody, caller: FromDishka[Caller],
                         use_case: FromDishka[UpdateProfile]) -> ProfileOut:
    user = await use_case(ProfileUpdate(user_id=caller.id, display_name=data.display_name,
                                        avatar_url=data.avatar_url, bio=data.bio))
    return profile_out(user)


class PreferencesBody(msgspec.Struct, kw_only=True):
    difficulty: str | None = None
    energy_level: str | None = None
    style: str | None = None
    notifications_enabled: bool | None = None
    auto_save_choreographies: bool | None = None
    default_difficulty: str | None = None
    email_notifications: bool | None = None


def preferences_update(user_id: str, data: PreferencesBody) -> PreferencesUpdate:
    return PreferencesUpdate(user_id=user_id, difficulty=data.difficulty, energy_level=data.energy_level,
                             style=data.style, notifications=data.notifications_enabled,
                             auto_save_choreographies=data.auto_save_choreographies,
                             default_difficulty=data.default_difficulty,
                             email_notifications=data.email_notifications)


class MeBody(msgspec.Struct, kw_only=True):
    """The original's writable fields (partial update); `id`, `username` and `is_instructor` are read-only."""

    email: str | None = None
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=80)] | None = None
    preferences: PreferencesBody | None = None
    avatar_url: Annotated[str, msgspec.Meta(max_length=2048)] | None = None
    bio: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


@get("/me/")
@inject
async def get_me(caller: FromDishka[Caller]) -> ProfileOut:
    return profile_out(caller.user)


@put("/me/")
@inject
async def update_me(data: MeBody, caller: FromDishka[Caller], use_case: FromDishka[UpdateProfile]) -> ProfileOut:
    prefs = preferences_update(caller.id, data.preferences) if data.preferences is not None else None
    user = await use_case(ProfileUpdate(user_id=caller.id, display_name=data.display_name, email=data.email,
                                        avatar_url=data.avatar_url, bio=data.bio, preferences=prefs))
    return profile_out(user)


@get("/preferences/")
@inject
async def get_preferences(caller: FromDishka[Caller]) -> PreferencesOut:
    return preferences_out(caller.user)


@put("/preferences/")
@inject
async def update_preferences(data: PreferencesBody, caller: FromDishka[Caller],
                             use_case: FromDishka[UpdatePreferences]) -> PreferencesOut:
    return preferences_out(await use_case(preferences_update(caller.id, data)))


router = Router(path="/api/auth", route_handlers=[register, login, refresh, logout, get_profile, update_profile,
                                                  get_me, update_me, get_preferences, update_preferences],
                tags=["Bachata Buddy: identity"], exception_handlers=DRF_ERRORS)
