"""Routers of the community features; each module adds its router here."""

from __future__ import annotations

from litestar import Router

from entrypoints.http.idance import admin, challenges, feed, sessions, social, submissions

routers: list[Router] = [sessions.router, challenges.router, submissions.router, social.router, feed.router,
                         admin.router]
