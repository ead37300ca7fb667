"""The fault scenarios of issue 19, each bounded in time, each judged on the same three rules:

- every analysis the API accepted ends ``completed``, or ``failed`` with a reason, within ``END_WITHIN`` seconds
  of the dependency's return;
- no answer during the fault is a 500, a non-JSON error or a dropped connection (4xx and 503/507 JSON are fine);
- requests succeed again within ``RECOVER_WITHIN`` seconds of the return (no failure after that).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.faults.client import FINISHED, Answer, Api, Load, bad, codes, failed
from tests.faults.stack import LOOPBACK, Stack, free_port, wait_until

END_WITHIN = 120.0
RECOVER_WITHIN = 30.0
MEDIA = Path(os.environ.get("DANCE_MEDIA_DIR", Path(__file__).resolve().parents[3] / "shared" / "media"))
VIDEO = MEDIA / "video" / "09_golf_swing_golfdb.mp4"


@dataclass
class Outcome:
    name: str
    held: bool
    figures: str
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        why = f" | {'; '.join(self.problems)}" if self.problems else ""
        return f"{self.name}: {'held' if self.held else 'FAILED'} - {self.figures}{why}"


@dataclass
class Context:
    stack: Stack
    api: Api
    user: dict[str, str]
    file_key: str
    accepted: list[str] = field(default_factory=list)
    tail: float = RECOVER_WITHIN + 5  # how long the load goes on after a return (the short suite shortens it)


async def setup(stack: Stack) -> Context:
    api = Api(stack.api_url)
    user = await api.user()
    response = await api.upload(user, VIDEO)
    assert response is not None and response.status_code == 200, response and response.text
    return Context(stack, api, user, response.json()["file_key"])


async def submit(ctx: Context, n: int = 1) -> list[str]:
    """Ask for ``n`` analyses; those answered 200 are accepted (a 503 is a refusal the client sees and retries)."""
    taken = []
    for _ in range(n):
        sid, response = await ctx.api.analyze(ctx.user, ctx.file_key)
        if response is not None and response.status_code == 200:
            taken.append(sid)
    ctx.accepted += taken
    return taken


async def running(ctx: Context, sids: list[str], at_least: int, timeout: float = 180) -> None:
    """Wait until ``at_least`` of the analyses are under way (progress > 0), so the fault meets work in flight."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = [await ctx.api.status(ctx.user, sid) for sid in sids]
        if sum(1 for s in states if s and s["status"] == "processing" and s["progress"] > 0.05) >= at_least:
            return
        if all(s and s["status"] in FINISHED for s in states):
            return
        await asyncio.sleep(0.5)


async def in_thread(fn: Callable[[], Any]) -> Any:
    return await asyncio.to_thread(fn)


def judge(name: str, ctx: Context, sids: list[str], ended: dict[str, dict[str, Any]], fault_at: float,
          back_at: float, observed_until: float, extra: str = "") -> Outcome:
    problems = []
    answers = ctx.api.recorder.between(fault_at, observed_until)
    during = [a for a in answers if a.at < back_at + RECOVER_WITHIN]
    bad_ones = [a for a in during if bad(a)]
    if bad_ones:
        sample = "; ".join(f"{a.route} {a.status} {a.detail}" for a in bad_ones[:3])
        problems.append(f"{len(bad_ones)} bad answers during the fault ({sample})")
    late: list[Answer] = [a for a in answers if a.at >= back_at + RECOVER_WITHIN and failed(a)]
    if late:
        problems.append(f"{len(late)} failures more than {RECOVER_WITHIN:.0f} s after the return "
                        f"({late[0].route} {late[0].status} {late[0].detail})")
    last_failure = max((a.at for a in answers if failed(a)), default=None)
    recovered = 0.0 if last_failure is None or last_failure < back_at else last_failure - back_at
    done = [ended.get(s, {}) for s in sids]
    completed = sum(1 for d in done if d.get("status") == "completed")
    failed_ = [d for d in done if d.get("status") == "failed"]
    open_ = [s for s, d in zip(sids, done, strict=True) if d.get("status") not in FINISHED]
    if open_:
        problems.append(f"{len(open_)} accepted analyses not ended {END_WITHIN:.0f} s after the return "
                        f"({', '.join(str(ended.get(s, {}).get('status')) for s in open_)})")
    if any(not d.get("error_message") for d in failed_):
        problems.append("a failed analysis without a reason")
    late_end = max((d["seen_at"] - back_at for d in done if "seen_at" in d and d.get("status") in FINISHED),
                   default=0.0)
    if late_end > END_WITHIN:
        problems.append(f"an analysis ended {late_end:.0f} s after the return")
    reasons = sorted({str(d.get("error_message"))[:80] for d in failed_})
    figures = (f"accepted {len(sids)}, completed {completed}, failed {len(failed_)}"
               f"{' (' + ' | '.join(reasons) + ')' if reasons else ''}, last ended +{max(0.0, late_end):.0f} s; "
               f"answers during fault {codes(during)}; requests ok again +{recovered:.1f} s")
    if extra:
        figures += f"; {extra}"
    return Outcome(name, not problems, figures, problems)


async def observe(ctx: Context, sids: list[str], back_at: float) -> tuple[dict[str, dict[str, Any]], float]:
    """After the return: wait for the analyses (up to END_WITHIN) and keep the load on for RECOVER_WITHIN + 5 s."""
    ended = await ctx.api.wait_all(ctx.user, sids, timeout=END_WITHIN + 10 - (time.monotonic() - back_at))
    rest = back_at + ctx.tail - time.monotonic()
    if rest > 0:
        await asyncio.sleep(rest)
    return ended, time.monotonic()


async def with_load(ctx: Context, body: Callable[[], Awaitable[Outcome]]) -> Outcome:
    load = Load(ctx.api, ctx.user)
    load.start()
    try:
        return await body()
    finally:
        await load.stop()


# -- the scenarios ----------------------------------------------------------------------------------------------

async def postgres_down(ctx: Context, down_for: float = 20) -> Outcome:
    async def body() -> Outcome:
        sids = await submit(ctx, 2)
        await running(ctx, sids, 1)
        fault_at = time.monotonic()
        await in_thread(ctx.stack.stop_postgres)
        during = await submit(ctx, 1)  # refused with 503 while the database is away (nothing to record it in)
        await asyncio.sleep(max(0.0, down_for - (time.monotonic() - fault_at)))
        await in_thread(ctx.stack.start_postgres)
        back_at = time.monotonic()
        ended, until = await observe(ctx, sids + during, back_at)
        return judge(f"PostgreSQL down {down_for:.0f} s under load", ctx, sids + during, ended, fault_at, back_at,
                     until, f"accepted during the outage {len(during)}")
    return await with_load(ctx, body)


async def postgres_restart(ctx: Context) -> Outcome:
    async def body() -> Outcome:
        sids = await submit(ctx, 2)
        await running(ctx, sids, 1)
        fault_at = time.monotonic()
        await in_thread(ctx.stack.stop_postgres)
        await in_thread(ctx.stack.start_postgres)
        back_at = time.monotonic()
        ended, until = await observe(ctx, sids, back_at)
        return judge(f"PostgreSQL restarted under load (away {back_at - fault_at:.1f} s)", ctx, sids, ended,
                     fault_at, back_at, until)
    return await with_load(ctx, body)


async def redis_down(ctx: Context, down_for: float = 20, before: int = 2) -> Outcome:
    async def body() -> Outcome:
        sids = await submit(ctx, before)
        await running(ctx, sids, 1)
        fault_at = time.monotonic()
        await in_thread(lambda: ctx.stack.stop_redis(keep_data=True))
        await asyncio.sleep(1)
        during = await submit(ctx, 1)  # the job row is the promise: accepted while the queue is away
        await asyncio.sleep(max(0.0, down_for - (time.monotonic() - fault_at)))
        await in_thread(ctx.stack.start_redis)
        back_at = time.monotonic()
        ended, until = await observe(ctx, sids + during, back_at)
        return judge(f"Redis down {down_for:.0f} s", ctx, sids + during, ended, fault_at, back_at, until,
                     f"accepted during the outage {len(during)} of 1")
    return await with_load(ctx, body)


async def redis_lost(ctx: Context) -> Outcome:
    """Workers stopped, three analyses queued, Redis restarted without its data, workers started again."""
    async def body() -> Outcome:
        for worker in ctx.stack.workers_alive():
            await in_thread(worker.stop)
        sids = await submit(ctx, 3)
        fault_at = time.monotonic()
        await in_thread(lambda: ctx.stack.stop_redis(keep_data=False))
        await in_thread(ctx.stack.start_redis)
        back_at = time.monotonic()
        for _ in range(2):
            ctx.stack.start_worker()
        ended, until = await observe(ctx, sids, back_at)
        return judge("Redis restarted without persistence, 3 analyses queued", ctx, sids, ended, fault_at, back_at,
                     until)
    return await with_load(ctx, body)


async def s3_down(ctx: Context, down_for: float = 20) -> Outcome:
    proxy = ctx.stack.s3_proxy
    assert proxy is not None

    async def body() -> Outcome:
        sids = await submit(ctx, 2)
        await running(ctx, sids, 1)
        fault_at = time.monotonic()
        await in_thread(proxy.down)
        uploads = [await ctx.api.upload(ctx.user, VIDEO) for _ in range(2)]
        during = await submit(ctx, 1)
        await asyncio.sleep(max(0.0, down_for - (time.monotonic() - fault_at)))
        await in_thread(proxy.up)
        back_at = time.monotonic()
        ended, until = await observe(ctx, sids + during, back_at)
        upload_codes = ",".join(str(u.status_code if u is not None else 0) for u in uploads)
        return judge(f"S3 down {down_for:.0f} s with uploads and analyses in flight", ctx, sids + during, ended,
                     fault_at, back_at, until, f"uploads during the outage answered {upload_codes}")
    return await with_load(ctx, body)


async def workers_killed(ctx: Context, n: int = 4, at_least: int = 2) -> Outcome:
    async def body() -> Outcome:
        sids = await submit(ctx, n)
        await running(ctx, sids, at_least)
        fault_at = time.monotonic()
        killed = ctx.stack.workers_alive()
        for worker in killed:
            await in_thread(worker.kill)
        ctx.stack.start_worker()
        back_at = time.monotonic()
        ended, until = await observe(ctx, sids, back_at)
        outcome = judge(f"every worker SIGKILLed with {n} analyses running, then one fresh worker", ctx, sids, ended,
                        fault_at, back_at, until)
        for _ in range(len(killed) - 1):
            ctx.stack.start_worker()  # back to as many as before, for what follows
        return outcome
    return await with_load(ctx, body)


def _dribble(port: int, payload: bytes, seconds: float) -> tuple[bool, float]:
    """Send ``payload`` one byte at a time spread over ``seconds``; (closed by the server, when)."""
    start = time.monotonic()
    with socket.create_connection((LOOPBACK, port), timeout=seconds + 10) as s:
        step = seconds / max(1, len(payload))
        for byte in payload:
            try:
                s.sendall(bytes([byte]))
            except OSError:
                return True, time.monotonic() - start
            time.sleep(step)
            s.settimeout(0.001)
            try:
                if s.recv(65536) == b"":
                    return True, time.monotonic() - start
            except (BlockingIOError, TimeoutError):
                pass
            except OSError:
                return True, time.monotonic() - start
            s.settimeout(seconds + 10)
    return False, time.monotonic() - start


async def slow_clients(ctx: Context, clients: int = 20, seconds: float = 40) -> Outcome:
    """Clients that dribble their headers, or a body, one byte at a time; meanwhile /health must stay quick, and
    the server should close the dribblers (header and body read timeouts)."""
    port = ctx.stack.api_port
    headers = (f"POST /auth/login HTTP/1.1\r\nHost: {LOOPBACK}\r\nContent-Type: application/json\r\n"
               f"X-Padding: {'a' * 200}\r\nContent-Length: 10\r\n\r\n").encode()
    body_head = (f"POST /auth/login HTTP/1.1\r\nHost: {LOOPBACK}\r\nContent-Type: application/json\r\n"
                 f"Content-Length: 100000\r\n\r\n").encode()

    async def body_dribbler() -> tuple[bool, float]:
        def run() -> tuple[bool, float]:
            start = time.monotonic()
            with socket.create_connection((LOOPBACK, port), timeout=5) as s:
                s.sendall(body_head)
                while time.monotonic() - start < seconds:
                    try:
                        s.sendall(b"{")
                        s.settimeout(1.0)
                        if s.recv(65536):  # the server answered (408 or an error) and will close
                            return True, time.monotonic() - start
                    except TimeoutError:
                        continue
                    except OSError:
                        return True, time.monotonic() - start
            return False, time.monotonic() - start
        return await in_thread(run)

    fault_at = time.monotonic()
    header_tasks = [asyncio.create_task(in_thread(lambda: _dribble(port, headers, seconds)))
                    for _ in range(clients // 2)]
    body_tasks = [asyncio.create_task(body_dribbler()) for _ in range(clients - clients // 2)]
    latencies = []
    while not all(t.done() for t in header_tasks + body_tasks) and time.monotonic() - fault_at < seconds + 20:
        t0 = time.monotonic()
        response = await ctx.api.call("GET", "/api/v1/status", "status")
        if response is not None and response.status_code == 200:
            latencies.append(time.monotonic() - t0)
        await asyncio.sleep(0.5)
    header_results = [await t for t in header_tasks]
    body_results = [await t for t in body_tasks]
    back_at = time.monotonic()
    closed_h = [t for closed, t in header_results if closed]
    closed_b = [t for closed, t in body_results if closed]
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    problems = []
    if len(closed_b) < len(body_results):
        problems.append(f"{len(body_results) - len(closed_b)} body dribblers kept their connection {seconds:.0f} s")
    if len(closed_h) < len(header_results):
        problems.append(f"{len(header_results) - len(closed_h)} header dribblers kept their connection "
                        f"{seconds:.0f} s")
    if not latencies or p99 > 1000:
        problems.append(f"status p99 {p99:.0f} ms while dribbled")
    figures = (f"{len(header_results)} header and {len(body_results)} body dribblers over {seconds:.0f} s; closed "
               f"{len(closed_h)} (after {max(closed_h, default=0):.1f} s) and {len(closed_b)} (after "
               f"{max(closed_b, default=0):.1f} s); /api/v1/status p99 {p99:.0f} ms over {len(latencies)} reads")
    del back_at
    return Outcome(f"slow clients ({clients})", not problems, figures, problems)


async def disk_full(ctx: Context) -> Outcome:
    """STORAGE=local on a 2 MB tmpfs (needs root to mount), a second API process on the same database: uploads
    until the disk is full answer 507 JSON with no partial file left; a session naming the failed upload is
    refused."""
    stack = ctx.stack
    mount = stack.root / "small-disk"
    mount.mkdir(exist_ok=True)
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        return Outcome("local disk full", True, f"skipped: cannot mount a tmpfs here ({exc}); the 507 path is "
                                                 "covered by tests/e2e/test_outages.py", [])
    port = free_port()
    env = stack.env | {"STORAGE": "local", "STORAGE_DIR": str(mount), "PUBLIC_BASE_URL": f"http://{LOOPBACK}:{port}"}
    from tests.faults.stack import Process

    api_proc = Process("api-local-disk", [sys.executable, "-m", "entrypoints.http.serve", "--host", LOOPBACK,
                                          "--port", str(port)], env, stack.root / "logs" / "api-disk.log")
    api_proc.start()
    local = Api(f"http://{LOOPBACK}:{port}", ctx.api.recorder)
    try:
        await in_thread(lambda: wait_until(lambda: _status_ok(port), 180, "the local-disk API"))
        fault_at = time.monotonic()
        answers = []
        for _ in range(8):  # 0.44 MB each into 2 MB
            response = await local.upload(ctx.user, VIDEO)
            answers.append(response)
            if response is not None and response.status_code == 507:
                break
        statuses = [r.status_code if r is not None else 0 for r in answers]
        sizes = sorted(p.stat().st_size for p in mount.rglob("*") if p.is_file() and p.suffix != ".meta")
        partial = [s for s in sizes if s != VIDEO.stat().st_size]
        problems = []
        if 507 not in statuses:
            problems.append(f"no 507 (answers {statuses})")
        if partial:
            problems.append(f"partial files left: {partial}")
        refused = await _session_with_missing_key(local, ctx.user)
        if refused not in (400, 404, 422):
            problems.append(f"a session completed with a key whose upload failed answered {refused}")
        back_at = time.monotonic()
        bad_ones = [a for a in ctx.api.recorder.between(fault_at, back_at) if bad(a)]
        if bad_ones:
            problems.append(f"{len(bad_ones)} bad answers ({bad_ones[0].route} {bad_ones[0].status})")
        figures = (f"uploads answered {','.join(map(str, statuses))}; {len(sizes)} files stored, {len(partial)} "
                   f"partial; completing a session with the failed key answered {refused}")
        return Outcome("local disk full (2 MB tmpfs)", not problems, figures, problems)
    finally:
        await local.close()
        api_proc.stop()
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _status_ok(port: int) -> bool:
    import httpx

    return httpx.get(f"http://{LOOPBACK}:{port}/api/v1/status", timeout=3).status_code == 200


async def _session_with_missing_key(api: Api, user: dict[str, str]) -> int:
    headers = {"Authorization": user["Authorization"]}
    started = await api.call("POST", "/api/sessions/start", "session-start", headers=headers,
                             json={"title": "Fault", "danceStyle": "hip-hop"})
    if started is None or started.status_code != 200:
        return started.status_code if started is not None else 0
    body = started.json()
    session_id = body.get("sessionId") or body.get("session", {}).get("id") or body.get("id")
    user_id = (await api.call("GET", "/api/users/profile", headers=headers)).json()["id"]  # type: ignore[union-attr]
    missing = f"uploads/{user_id}/never-stored-{int(time.time())}.mp4"
    done = await api.call("PUT", f"/api/sessions/{session_id}/complete", "session-complete", headers=headers,
                          json={"videoFileKey": missing, "duration": 30})
    return done.status_code if done is not None else 0


SCENARIOS: dict[str, Callable[[Context], Awaitable[Outcome]]] = {
    "postgres-down": postgres_down,
    "postgres-restart": postgres_restart,
    "redis-down": redis_down,
    "redis-lost": redis_lost,
    "s3-down": s3_down,
    "workers-killed": workers_killed,
    "disk-full": disk_full,
    "slow-clients": slow_clients,
}

