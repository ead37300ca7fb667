"""iDance identity: /auth/register, /auth/login, /api/users/profile, /api/users/stats."""

from __future__ import annotations

from typing import Annotated

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Router, get, post, put

from application.identity.common import AuthResult
from application.identity.login import LoginCommand, LoginWithPassword, Logout
from application.identity.profile import ProfileUpdate, UpdateProfile
from application.identity.register import RegisterCommand, RegisterUser
from application.identity.stats import GetUserStats
from application.ports.system import Clock
from entrypoints.http.auth import Caller
from entrypoints.http.client_address import ClientAddress
from entrypoints.http.common.schemas import Camel, Message, iso


class RegisterBody(Camel):
    email: str
    password: str
    display_name: Annotated[str, msgspec.Meta(max_length=80)] | None = None


class LoginBody(msgspec.Struct):
    email: str
    password: str


class TokenOut(msgspec.Struct):
    access_token: str
    token_type: str
    user_id: str


def token_out(result: AuthResult) -> TokenOut:
    return TokenOut(access_token=result.tokens.access, token_type="bearer", user_id=result.user.id)


@post("/auth/register", status_code=201, summary="Register with email and password")
@inject
async def register(data: RegisterBody, use_case: FromDishka[RegisterUser],
                   client: FromDishka[ClientAddress]) -> TokenOut:
    return token_out(await use_case(RegisterCommand(email=data.email, password=data.password,
                                                    display_name=data.display_name, client=client.value)))


@post("/auth/login", status_code=200, summary="Log in with email and password")
@inject
async def login(data: LoginBody, use_case: FromDishka[LoginWithPassword],
                client: FromDishka[ClientAddress]) -> TokenOut:
    return token_out(await use_case(LoginCommand(login=data.email, password=data.password,
                                                 client=client.value)))


@post("/auth/logout", status_code=200, summary="Log out: this login's tokens stop working")
@inject
async def logout(caller: FromDishka[Caller], use_case: FromDishka[Logout]) -> Message:
    await use_case(caller.claims)
    return Message(message="Successfully logged out")


class ProfileOut(Camel):
    id: str
    email: str
    display_name: str
    avatar_url: str | None
    level: int
    total_sessions: int
    total_duration: int
    created_at: str | None


class ProfileBody(Camel):
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=80)] | None = None
    avatar_url: Annotated[str, msgspec.Meta(max_length=2048)] | None = None


class ProfileSummary(Camel):
    id: str
    display_name: str
    avatar_url: str | None


class ProfileUpdated(msgspec.Struct):
    message: str
    user: ProfileSummary


@get("/api/users/profile", summary="The caller's profile")
@inject
async def get_profile(caller: FromDishka[Caller], stats: FromDishka[GetUserStats],
                      clock: FromDishka[Clock]) -> ProfileOut:
    user = caller.user
    figures = await stats(user.id, clock.now())
    return ProfileOut(id=user.id, email=user.email, display_name=user.display_name, avatar_url=user.avatar_url,
                      level=user.level, total_sessions=figures.total_sessions,
                      total_duration=figures.total_duration, created_at=iso(user.created_at))


@put("/api/users/profile", summary="Update the caller's display name and avatar")
@inject
async def update_profile(data: ProfileBody, caller: FromDishka[Caller],
                         use_case: FromDishka[UpdateProfile]) -> ProfileUpdated:
    user = await use_case(ProfileUpdate(user_id=caller.id, display_name=data.display_name,
                                        avatar_url=data.avatar_url))
    return ProfileUpdated(message="Profile updated successfully",
                          user=ProfileSummary(id=user.id, display_name=user.display_name,
                                              avatar_url=user.avatar_url))


class WeeklyProgress(msgspec.Struct):
    sessions: int
    duration: int


class StatsOut(Camel):
    total_sessions: int
    total_duration: int
    average_session_duration: int
    favorite_dance_style: str | None
    weekly_progress: WeeklyProgress


@get("/api/users/stats", summary="The caller's totals, computed from their sessions")
@inject
async def user_stats(caller: FromDishka[Caller], stats: FromDishka[GetUserStats],
                     clock: FromDishka[Clock]) -> StatsOut:
    s = await stats(caller.id, clock.now())
    return StatsOut(total_sessions=s.total_sessions, total_duration=s.total_duration,
                    average_session_duration=s.average_session_duration,
                    favorite_dance_style=s.favorite_dance_style,
                    weekly_progress=WeeklyProgress(sessions=s.week_sessions, duration=s.week_duration))


router = Router(path="/", route_handlers=[register, login, logout, get_profile, update_profile, user_stats],
                tags=["iDance: identity"])
