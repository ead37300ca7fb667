"""An ASGI factory for servers that take one (``uvicorn --factory entrypoints.http.asgi:app_from_env``): the app
on the settings of the environment, without migrating or seeding (run ``python -m entrypoints.manage migrate``)."""

from __future__ import annotations

from litestar import Litestar

from entrypoints.http.app import create_app
from entrypoints.settings import Settings


def app_from_env() -> Litestar:
    return create_app(Settings.from_env())
