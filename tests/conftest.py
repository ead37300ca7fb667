from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# `nox -s mutate` runs the unit tests once per mutant: fewer examples, and the same ones every run, so a kill
# count does not depend on the draw. Everyday runs keep hypothesis's defaults.
settings.register_profile("mutation", max_examples=25, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def media_root() -> Path:
    return Path(os.environ.get("DANCE_MEDIA_DIR", ROOT.parent / "shared" / "media"))


@pytest.fixture(scope="session")
def media_dir() -> Path:
    root = media_root()
    if not root.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared media folder {root} is missing in CI")
        pytest.skip(f"shared media folder {root} is absent (set DANCE_MEDIA_DIR)")
    return root


@pytest.fixture(scope="session")
def onnx_model_path() -> Path:
    path = Path(os.environ.get("POSE_ONNX_MODEL", ROOT.parent / "shared" / "models" / "pose_landmark_full.onnx"))
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"ONNX pose model {path} is missing in CI")
        pytest.skip(f"ONNX pose model {path} is absent (set POSE_ONNX_MODEL)")
    return path


def _service_missing(what: str, error: BaseException) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not reachable in CI: {error}")
    pytest.skip(f"{what} is not reachable: {error}")


POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def new_postgres_database():
    """Makes fresh databases on the real PostgreSQL server, each dropped at the end of the session. A test that
    starts a worker process gets a database of its own: a worker's reconciler takes over any expired job it finds in
    its database, so two workers on one database would run each other's jobs with the wrong settings."""
    import asyncio
    import secrets
    from concurrent.futures import ThreadPoolExecutor

    import asyncpg

    made: list[str] = []

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def run(sql: str) -> None:
        # A thread of its own: this fixture may be first asked for from inside a running event loop.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, admin(sql)).result()

    def make() -> str:
        name = f"dance_test_{secrets.token_hex(4)}"
        try:
            run(f'CREATE DATABASE "{name}"')
        except (OSError, asyncpg.PostgresError) as exc:
            _service_missing("PostgreSQL", exc)
        made.append(name)
        return f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"

    yield make
    for name in made:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url(new_postgres_database):
    """A fresh database on the real PostgreSQL server for this test session, dropped at the end."""
    return new_postgres_database()


@pytest.fixture(scope="session")
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        _service_missing("Redis", exc)
    return REDIS_URL


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on a free loopback port: a real S3-protocol endpoint."""
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="write the golden figures from this run instead of comparing with them")
