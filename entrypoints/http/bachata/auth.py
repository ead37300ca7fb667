"""Bachata Buddy identity (Django REST style, snake_case, trailing slashes)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Router, get, post, put

from application.identity.login import LoginCommand, LoginWithPassword, RefreshTokens
from application.identity.profile import PreferencesUpdate, ProfileUpdate, UpdatePreferences, UpdateProfile
from application.identity.register import RegisterCommand, RegisterUser
from domain.errors import InvalidInput
from domain.identity.user import User
from entrypoints.http.auth import Caller
from entrypoints.http.common.schemas import iso
from entrypoints.http.errors import DRF_ERRORS


class RegisterBody(msgspec.Struct, kw_only=True):
    username: Annotated[str, msgspec.Meta(min_length=3, max_length=150)]
    email: str
    password: str
    password2: str | None = None
    display_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class ProfileOut(msgspec.Struct):
    id: str
    username: str
    email: str
    display_name: str
    avatar_url: str | None
    bio: str
    level: int
    is_admin: bool
    date_joined: str | None


def profile_out(user: User) -> ProfileOut:
    return ProfileOut(id=user.id, username=user.username, email=user.email, display_name=user.display_name,
                      avatar_url=user.avatar_url, bio=user.bio, level=user.level, is_admin=user.is_admin,
                      date_joined=iso(user.created_at))


class RegisterOut(msgspec.Struct):
    user: ProfileOut
    access: str
    refresh: str


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
async def register(data: RegisterBody, use_case: FromDishka[RegisterUser]) -> RegisterOut:
    if data.password2 is not None and data.password2 != data.password:
        raise InvalidInput("Password fields didn't match.", field="password")
    name = data.display_name or " ".join(p for p in (data.first_name, data.last_name) if p) or None
    result = await use_case(RegisterCommand(email=data.email, password=data.password, display_name=name,
                                            username=data.username))
    return RegisterOut(user=profile_out(result.user), access=result.tokens.access,
                       refresh=result.tokens.refresh)


@post("/login/", status_code=200)
@inject
async def login(data: LoginBody, use_case: FromDishka[LoginWithPassword]) -> TokensOut:
    result = await use_case(LoginCommand(login=data.username, password=data.password))
    return TokensOut(access=result.tokens.access, refresh=result.tokens.refresh)


@post(["/token/refresh/", "/refresh/"], status_code=200)
@inject
async def refresh(data: RefreshBody, use_case: FromDishka[RefreshTokens]) -> TokensOut:
    result = await use_case(data.refresh)
    return TokensOut(access=result.tokens.access, refresh=result.tokens.refresh)


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


class PreferencesOut(msgspec.Struct):
    difficulty: str
    energy_level: str
    style: str
    notifications_enabled: bool


class PreferencesBody(msgspec.Struct, kw_only=True):
    difficulty: str | None = None
    energy_level: str | None = None
    style: str | None = None
    notifications_enabled: bool | None = None


def preferences_out(user: User) -> PreferencesOut:
    p = user.preferences
    return PreferencesOut(difficulty=p.difficulty, energy_level=p.energy_level, style=p.style,
                          notifications_enabled=p.notifications)


@get("/preferences/")
@inject
async def get_preferences(caller: FromDishka[Caller]) -> PreferencesOut:
    return preferences_out(caller.user)


@put("/preferences/")
@inject
async def update_preferences(data: PreferencesBody, caller: FromDishka[Caller],
                             use_case: FromDishka[UpdatePreferences]) -> PreferencesOut:
    user = await use_case(PreferencesUpdate(user_id=caller.id, difficulty=data.difficulty,
                                            energy_level=data.energy_level, style=data.style,
                                            notifications=data.notifications_enabled))
    return preferences_out(user)


router = Router(path="/api/auth", route_handlers=[register, login, refresh, get_profile, update_profile,
                                                  get_preferences, update_preferences],
                tags=["Bachata Buddy: identity"], exception_handlers=DRF_ERRORS)
