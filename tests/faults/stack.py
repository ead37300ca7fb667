"""The scale-out stack on loopback, owned by the fault suite: its own PostgreSQL (initdb into a temp folder), Redis
(no persistence unless asked to save on shutdown), an S3-protocol server (moto) behind a TCP proxy that can refuse
connections, the API (uvicorn) and taskiq workers. Each piece can be stopped, killed and started again."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def missing_tools() -> list[str]:
    """What this machine lacks to run the stack (the suite skips, saying so)."""
    missing = []
    if postgres_bin() is None:
        missing.append("PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    try:
        import moto.server  # noqa: F401
    except ImportError:
        missing.append("moto[server]")
    return missing


def wait_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.2) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if check():
                return time.monotonic() - start
        except Exception:  # not up yet
            pass
        time.sleep(interval)
    raise TimeoutError(f"{what} did not come up within {timeout:.0f} s")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((LOOPBACK, port)) == 0


@dataclass
class Process:
    """One child process in its own process group, its output in a log file."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    cwd: Path = ROOT
    popen: subprocess.Popen[bytes] | None = None
    as_postgres: bool = False

    def start(self) -> None:
        out = self.log.open("ab")
        extra = _as_postgres_user() if self.as_postgres else {}
        self.popen = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True, **extra)  # type: ignore
        out.close()

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, sig)

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM, then SIGKILL if it outstays ``timeout``."""
        if not self.alive():
            return
        self.signal(signal.SIGTERM)
        try:
            assert self.popen is not None
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        if self.popen is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=20)

    def rss_mb(self) -> float:
        """Resident memory of the process group (the taskiq parent and its worker children), in MB."""
        total = 0
        for pid in _group_pids(self.pid) if self.alive() else []:
            with contextlib.suppress(OSError, ValueError, IndexError):
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        return total / 1e6


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError):
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
    return pids


class TcpProxy:
    """A loopback TCP proxy in a thread of its own. ``down()`` closes the listening socket and cuts every open
    connection (clients see refused/reset connections, as with a stopped server), ``up()`` listens again."""

    def __init__(self, target_port: int) -> None:
        self.port = free_port()
        self.target = target_port
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._thread.start()

    def _call(self, coro: object) -> object:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)  # type: ignore[arg-type]

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(LOOPBACK, self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            self._writers -= {writer, up_writer}

    async def _up(self) -> None:
        self._server = await asyncio.start_server(self._handle, LOOPBACK, self.port, reuse_address=True)

    async def _down(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            with contextlib.suppress(Exception):
                writer.transport.abort()
        self._writers.clear()

    def up(self) -> None:
        self._call(self._up())

    def down(self) -> None:
        self._call(self._down())

    def close(self) -> None:
        self.down()
        self._loop.call_soon_threadsafe(self._loop.stop)


@dataclass
class Stack:
    """Everything on free loopback ports under ``root``; ``env`` is what the API and workers run with."""

    root: Path
    workers: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    pg_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    s3_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    procs: dict[str, Process] = field(default_factory=dict)
    s3_proxy: TcpProxy | None = None
    worker_count: int = 0

    # -- configuration --------------------------------------------------------------------------------------
    @property
    def database_url(self) -> str:
        return f"postgresql://postgres@{LOOPBACK}:{self.pg_port}/dance"

    @property
    def redis_url(self) -> str:
        return f"redis://{LOOPBACK}:{self.redis_port}/0"

    @property
    def api_url(self) -> str:
        return f"http://{LOOPBACK}:{self.api_port}"

    @property
    def env(self) -> dict[str, str]:
        assert self.s3_proxy is not None
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "S3_", "STORAGE"))}
        env.update({
            "PYTHONPATH": str(ROOT), "ENV": "test", "VAR_DIR": str(self.root / "var"), "JWT_SECRET": "f" * 48,
            "DATABASE_URL": self.database_url, "QUEUE": "redis", "REDIS_URL": self.redis_url,
            "REDIS_QUEUE_NAME": "dance-jobs", "STORAGE": "s3", "S3_BUCKET": "dance-faults",
            "S3_ENDPOINT_URL": f"http://{LOOPBACK}:{self.s3_proxy.port}", "S3_CREATE_BUCKET": "true",
            "S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing", "S3_REGION": "us-east-1",
            "PUBLIC_BASE_URL": self.api_url, "POSE_BACKEND": "onnx", "AUTH_CACHE_SECONDS": "0",
            "RATE_LIMIT_STANDARD": "100000", "RATE_LIMIT_UPLOADS": "100000", "RATE_LIMIT_AI": "100000",
            "LOGIN_THROTTLE": "false", "RECONCILE_SECONDS": "5", "JOB_LEASE_SECONDS": "30",
            "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1",
        })
        env.update(self.extra_env)
        return env

    def _proc(self, name: str, argv: list[str], env: dict[str, str] | None = None, as_postgres: bool = False
              ) -> Process:
        proc = Process(name, argv, env or self.env, self.root / "logs" / f"{name}.log", as_postgres=as_postgres)
        self.procs[name] = proc
        proc.start()
        return proc

    # -- PostgreSQL -----------------------------------------------------------------------------------------
    def start_postgres(self) -> None:
        bin_dir = postgres_bin()
        assert bin_dir is not None
        data = self.root / "pg"
        if not (data / "PG_VERSION").exists():
            subprocess.run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync",
                            "-E", "UTF8"], check=True, capture_output=True, **_as_postgres_user())
        sockets = self.root / "pg-sock"
        sockets.mkdir(exist_ok=True)
        _chown_for_postgres(sockets)
        self._proc("postgres", [str(bin_dir / "postgres"), "-D", str(data), "-p", str(self.pg_port),
                                "-c", f"listen_addresses={LOOPBACK}", "-c", f"unix_socket_directories={sockets}",
                                "-c", "fsync=off", "-c", "max_connections=200"], env=_postgres_env(), as_postgres=True)
        wait_until(lambda: port_open(self.pg_port), 60, "PostgreSQL")
        wait_until(self._pg_ready, 60, "PostgreSQL (accepting queries)")

    def _pg_ready(self) -> bool:
        import asyncpg

        async def ping() -> None:
            conn = await asyncpg.connect(f"postgresql://postgres@{LOOPBACK}:{self.pg_port}/postgres", timeout=3)
            try:
                if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = 'dance'"):
                    await conn.execute("CREATE DATABASE dance")
            finally:
                await conn.close()

        asyncio.run(ping())
        return True

    def stop_postgres(self) -> None:
        """A fast shutdown (SIGINT): open connections are cut, as when the server restarts."""
        proc = self.procs["postgres"]
        proc.signal(signal.SIGINT)
        assert proc.popen is not None
        proc.popen.wait(timeout=60)

    # -- Redis ----------------------------------------------------------------------------------------------
    def start_redis(self) -> None:
        folder = self.root / "redis"
        folder.mkdir(exist_ok=True)
        self._proc("redis", ["redis-server", "--port", str(self.redis_port), "--bind", LOOPBACK, "--save", "",
                             "--appendonly", "no", "--dir", str(folder), "--protected-mode", "no"],
                   env=dict(os.environ))
        wait_until(lambda: port_open(self.redis_port), 30, "Redis")

    def stop_redis(self, keep_data: bool) -> None:
        """SHUTDOWN SAVE keeps the streams for the next start (a Redis with persistence); NOSAVE loses them."""
        import redis

        client = redis.Redis.from_url(self.redis_url)
        with contextlib.suppress(redis.exceptions.ConnectionError):
            client.shutdown(save=keep_data, nosave=not keep_data)
        if not keep_data:
            (self.root / "redis" / "dump.rdb").unlink(missing_ok=True)
        proc = self.procs["redis"]
        assert proc.popen is not None
        proc.popen.wait(timeout=30)

    # -- S3 -------------------------------------------------------------------------------------------------
    def start_s3(self) -> None:
        self._proc("s3", [sys.executable, "-m", "moto.server", "-H", LOOPBACK, "-p", str(self.s3_port)],
                   env=dict(os.environ))
        wait_until(lambda: port_open(self.s3_port), 60, "moto S3 server")
        self.s3_proxy = TcpProxy(self.s3_port)
        self.s3_proxy.up()

    # -- API and workers ------------------------------------------------------------------------------------
    def migrate(self) -> None:
        subprocess.run([sys.executable, "-m", "entrypoints.manage", "migrate"], cwd=ROOT, env=self.env, check=True,
                       capture_output=True, timeout=300)

    def start_api(self) -> None:
        self._proc("api", [sys.executable, "-m", "entrypoints.http.serve", "--host", LOOPBACK,
                           "--port", str(self.api_port)])
        wait_until(self._api_ready, 180, "the API")

    def _api_ready(self) -> bool:
        import httpx

        return httpx.get(f"{self.api_url}/api/v1/status", timeout=3).status_code == 200

    def start_worker(self) -> Process:
        self.worker_count += 1
        return self._proc(f"worker{self.worker_count}", [sys.executable, "-m", "taskiq", "worker",
                                                         "entrypoints.worker:broker", "--workers", "1"])

    def workers_alive(self) -> list[Process]:
        return [p for name, p in self.procs.items() if name.startswith("worker") and p.alive()]

    def start(self) -> None:
        prepare_root(self.root)
        (self.root / "logs").mkdir(parents=True, exist_ok=True)
        self.start_postgres()
        self.start_redis()
        self.start_s3()
        self.migrate()
        self.start_api()
        for _ in range(self.workers):
            self.start_worker()

    def close(self) -> None:
        for name in ("api", *[n for n in self.procs if n.startswith("worker")], "s3", "redis", "postgres"):
            proc = self.procs.get(name)
            if proc is not None:
                proc.stop(timeout=30)
        if self.s3_proxy is not None:
            self.s3_proxy.close()


# PostgreSQL refuses to run as root: when we are root, the server runs as the "postgres" account.
def _postgres_account() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def _as_postgres_user() -> dict[str, object]:
    account = _postgres_account()
    if account is None:
        return {}
    uid, gid = account
    return {"user": uid, "group": gid}


def _chown_for_postgres(path: Path) -> None:
    account = _postgres_account()
    if account is not None:
        os.chown(path, *account)


def _postgres_env() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}


def prepare_root(root: Path) -> None:
    """The folders PostgreSQL writes must belong to its account when we run as root."""
    root.mkdir(parents=True, exist_ok=True)
    account = _postgres_account()
    if account is not None:
        os.chmod(root, 0o755)
        pg = root / "pg"
        pg.mkdir(exist_ok=True)
        os.chown(pg, *account)
