"""Operations: migrate, seed demo data, create an admin, serve. `python -m entrypoints.manage --help`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from adapters.sqla import database
from application.identity.admin import AccountCommand, EnsureAccount
from domain.identity.user import Role
from entrypoints.settings import Settings

DEMO_PASSWORD = "dance-demo-2025"
DEMO_USERS = (
    ("admin@dance.local", "Demo Admin", Role.ADMIN),
    ("maya@dance.local", "Maya Rivera", Role.USER),
    ("leo@dance.local", "Leo Chen", Role.USER),
    ("ana@dance.local", "Ana Souza", Role.USER),
)


async def migrate(settings: Settings) -> None:
    await database.upgrade(settings.database_url)


async def ensure_user(settings: Settings, email: str, name: str, role: Role, password: str) -> bool:
    """Create the user if missing; make it admin if asked. True when it was created."""
    from taskiq import InMemoryBroker

    from entrypoints.ioc import make_container

    container = make_container(settings, InMemoryBroker())
    try:
        async with container() as scope:
            ensure = await scope.get(EnsureAccount)
            return await ensure(AccountCommand(email=email, display_name=name, role=role, password=password))
    finally:
        await container.close()


class SeedRefused(Exception):
    pass


async def seed(settings: Settings) -> None:
    """Demo users (with the README's public password) and demo data: never where ENV=production."""
    if settings.env == "production":
        raise SeedRefused("demo data is never seeded with ENV=production (its accounts have a public password)")
    for email, name, role in DEMO_USERS:
        if await ensure_user(settings, email, name, role, DEMO_PASSWORD):
            print(f"demo user {email} ({role.value}) / password {DEMO_PASSWORD}")
    from entrypoints.seed_community import seed_community

    await seed_community(settings)
    from entrypoints.seed_choreography import seed_choreography

    await seed_choreography(settings)


def serve(settings: Settings) -> None:
    import logging

    import uvicorn

    from entrypoints.http.app import create_app
    from entrypoints.http.header_deadline import protocol_with

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # uvicorn believes X-Forwarded-For from 127.0.0.1 by default; only the proxies we list may set it.
    proxies = list(settings.trusted_proxy_list)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info",
                proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None,
                http=protocol_with(settings.header_read_timeout_s))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dance-manage", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("seed", help="create demo users (and demo data)")
    admin = sub.add_parser("create-admin", help="create an admin, or make an existing user admin")
    admin.add_argument("email")
    admin.add_argument("--password", default=None)
    admin.add_argument("--name", default="Admin")
    sub.add_parser("serve", help="migrate, seed and run the API on the embedded defaults")
    song = sub.add_parser("add-song", help="add a song to the choreography catalogue (stored and analysed)")
    song.add_argument("file")
    song.add_argument("--title", required=True)
    song.add_argument("--artist", required=True)
    song.add_argument("--genre", default=None, choices=("traditional", "modern", "sensual", "urban"))
    from entrypoints.manage_moves import add_ingest_moves_subcommand

    add_ingest_moves_subcommand(sub)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "migrate":
        asyncio.run(migrate(settings))
    elif args.command == "seed":
        asyncio.run(seed(settings))
    elif args.command == "create-admin":
        import secrets

        password = args.password or secrets.token_urlsafe(12)
        created = asyncio.run(ensure_user(settings, args.email, args.name, Role.ADMIN, password))
        print(f"{args.email} is admin" + (f" (new user, password {password})" if created else ""))
    elif args.command == "add-song":
        from pathlib import Path

        from entrypoints.seed_choreography import add_song_file

        added = asyncio.run(add_song_file(settings, Path(args.file), args.title, args.artist, args.genre))
        print(f"song {added.id}: {added.title} by {added.artist}, {added.bpm} BPM, {added.duration} s")
    elif args.command == "ingest-moves":
        if args.library == "var/moves":  # the default: the library the app reads (VAR_DIR/moves)
            args.library = str(settings.move_library_path)
        return int(args.handler(args))
    elif args.command == "serve":
        asyncio.run(migrate(settings))
        if settings.env != "production":
            asyncio.run(seed(settings))
        serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
