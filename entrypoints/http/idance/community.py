"""Routers of the community features; each module adds its router here."""

from __future__ import annotations

from litestar import Router

routers: list[Router] = []
