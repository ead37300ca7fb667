"""Reactions on submissions (additions in the seed's style): like, unlike, comment, share."""

from __future__ import annotations

from typing import Annotated

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Router, delete, post

from application.community.submissions import React
from entrypoints.http.auth import Caller
from entrypoints.http.idance.present import CommentOut, comment_out


class LikeOut(msgspec.Struct, rename="camel"):
    submission_id: str
    liked: bool
    likes: int
    message: str


@post("/{submission_id:str}/like", status_code=200)
@inject
async def like(submission_id: str, caller: FromDishka[Caller], react: FromDishka[React]) -> LikeOut:
    r = await react.like(caller.user, submission_id)
    return LikeOut(submission_id=submission_id, liked=True, likes=r.likes, message="Submission liked")


@delete("/{submission_id:str}/like", status_code=200)
@inject
async def unlike(submission_id: str, caller: FromDishka[Caller], react: FromDishka[React]) -> LikeOut:
    r = await react.unlike(caller.user, submission_id)
    return LikeOut(submission_id=submission_id, liked=False, likes=r.likes, message="Like removed")


class CommentBody(msgspec.Struct, kw_only=True):
    text: Annotated[str, msgspec.Meta(max_length=1000)] | None = None
    content: Annotated[str, msgspec.Meta(max_length=1000)] | None = None  # spec 002's name for the text


class CommentCreated(msgspec.Struct, rename="camel"):
    submission_id: str
    message: str
    comment: CommentOut


@post("/{submission_id:str}/comments", status_code=200)
@inject
async def comment(submission_id: str, data: CommentBody, caller: FromDishka[Caller],
                  react: FromDishka[React]) -> CommentCreated:
    view = await react.comment(caller.user, submission_id, data.text or data.content or "")
    return CommentCreated(submission_id=submission_id, message="Comment added", comment=comment_out(view))


class ShareOut(msgspec.Struct, rename="camel"):
    submission_id: str
    shares: int
    message: str


@post("/{submission_id:str}/share", status_code=200)
@inject
async def share(submission_id: str, caller: FromDishka[Caller], react: FromDishka[React]) -> ShareOut:
    return ShareOut(submission_id=submission_id, shares=await react.share(caller.user, submission_id),
                    message="Submission shared")


router = Router(path="/api/submissions", route_handlers=[like, unlike, comment, share], tags=["iDance: social"])
