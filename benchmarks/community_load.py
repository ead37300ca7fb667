"""HTTP reads under concurrent load on PostgreSQL: leaderboard, feed and challenge search.

Runs the real app under the product's server (``python -m entrypoints.http.serve``, a socket per worker) in a
subprocess against a benchmark database filled with 100,000 submissions (generate_series), then loads it on
127.0.0.1 from wrk (a C load generator, when on PATH; 10 s per case) or from httpx (a bounded number of requests),
with a bounded concurrency.

    .venv/bin/python benchmarks/community_load.py [--client wrk|httpx] [--requests 3000] [--concurrency 8] [--workers 2]
                                                  [--database URL]

Needs PostgreSQL on 127.0.0.1:5432 (BENCH_POSTGRES_URL to change). Prints requests/s and p50/p99 latency, then
where the time went per case: CPU milliseconds per request in the server, in PostgreSQL and in the load
generator, SQL statements per request, and the wall time a request spent inside the app (of it, in SQL).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _timing import cpu_seconds, server_totals  # noqa: E402 - after the path is set

from tests.support.scale_seed import CHALLENGE, scale_seed_sql  # noqa: E402

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
N = 100_000
DANCERS = 16

SEED = scale_seed_sql(N, challenges=200)


def make_app():  # uvicorn factory (per worker process)
    from entrypoints.http.app import create_app
    from entrypoints.settings import Settings

    app = create_app(Settings.from_env())
    stats = os.environ.get("BENCH_STATS_DIR")
    if stats:
        from _timing import instrument

        return instrument(app, stats)
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def prepare(db_url: str) -> None:
    from adapters.sqla import database

    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(f'CREATE DATABASE "{db_url.rsplit("/", 1)[1]}"')
    finally:
        await conn.close()
    await database.upgrade(db_url)
    conn = await asyncpg.connect(db_url)
    try:
        await conn.execute(SEED)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def drop(db_url: str) -> None:
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{db_url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


async def dancers(base: str, db_url: str) -> list[dict[str, str]]:
    """Real accounts (tokens) that own submissions spread over the ranking."""
    out = []
    run = secrets.token_hex(3)  # a reused database (--database) already has earlier runs' dancers
    async with httpx.AsyncClient(base_url=base) as client:
        for i in range(DANCERS):
            r = await client.post("/auth/register", json={"email": f"bench{i}-{run}@example.com",
                                                          "password": "bench-password"})
            r.raise_for_status()
            out.append({"id": r.json()["user_id"], "token": r.json()["access_token"]})
    conn = await asyncpg.connect(db_url)
    try:
        for i, d in enumerate(out):
            victim = f"{(i * 6007 + 1) % N + 1:024x}"
            await conn.execute("DELETE FROM challenge_submissions WHERE challenge_id = $1 AND user_id = $2",
                               CHALLENGE, d["id"])
            await conn.execute("UPDATE challenge_submissions SET user_id = $1 WHERE id = $2", d["id"], victim)
    finally:
        await conn.close()
    return out


async def load(base: str, users: list[dict[str, str]], method: str, path: str, body: dict | None, total: int,
               concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def worker(w: int) -> None:
            nonlocal errors
            headers = {"Authorization": f"Bearer {users[w % len(users)]['token']}"}
            for _ in counter:
                t0 = time.perf_counter()
                r = await client.request(method, path, headers=headers, json=body)
                latencies.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    errors += 1

        for _ in range(min(50, total)):  # warm-up
            await client.request(method, path, headers={"Authorization": f"Bearer {users[0]['token']}"}, json=body)
        start = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(concurrency)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))], "errors": errors, "n": len(latencies)}


def _ms(text: str) -> float:
    value = float(text.rstrip("usm"))
    return value / 1000 if text.endswith("us") else value * 1000 if text.endswith("s") and not text.endswith("ms") \
        else value


def load_wrk(base: str, token: str, method: str, path: str, body: dict | None, seconds: int,
             concurrency: int) -> dict[str, float]:
    """The same request from wrk (a C load generator), so the client does not eat the cores it measures."""
    import json
    import re
    import shutil

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f'wrk.method = "{method}"\n')
        if body is not None:
            script.write(f"wrk.body = [[{json.dumps(body)}]]\n")
            script.write('wrk.headers["Content-Type"] = "application/json"\n')
    wrk = shutil.which("wrk")
    assert wrk is not None
    out = subprocess.run([wrk, "-t1", f"-c{concurrency}", f"-d{seconds}s", "--latency", "-s", script.name,
                          "-H", f"Authorization: Bearer {token}", base + path],
                         capture_output=True, text=True, timeout=seconds + 30).stdout
    # Percentiles from the latency distribution's own lines (a Stdev column such as "89.50%" must not match).
    found = [re.search(pattern, out, re.M) for pattern in (r"Requests/sec:\s+([\d.]+)", r"^\s+50%\s+(\S+)",
                                                          r"^\s+99%\s+(\S+)")]
    if not all(found):
        raise RuntimeError(f"could not read wrk's report:\n{out}")
    rps = float(found[0].group(1))  # type: ignore[union-attr]
    p50, p99 = (_ms(m.group(1)) for m in found[1:])  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": int(non2xx.group(1)) if non2xx else 0}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--client", choices=("httpx", "wrk"), default="wrk" if shutil.which("wrk") else "httpx",
                        help="httpx (bounded request count, Python) or wrk (10 s per case, C; needs wrk on PATH)")
    parser.add_argument("--database", help="an already seeded benchmark database to reuse (kept afterwards)")
    args = parser.parse_args()
    db_url = args.database or f"{ADMIN_URL.rsplit('/', 1)[0]}/dance_bench_{secrets.token_hex(4)}"
    if not args.database:
        print(f"preparing {db_url} with {N} submissions ...", flush=True)
        t0 = time.perf_counter()
        await prepare(db_url)
        print(f"  seeded in {time.perf_counter() - t0:.1f} s", flush=True)
    port = free_port()
    var = tempfile.mkdtemp(prefix="bench-")
    stats_dir = tempfile.mkdtemp(prefix="bench-stats-")
    env = {**os.environ, "DATABASE_URL": db_url, "RATE_LIMITS": "false", "WARM_UP": "false", "VAR_DIR": var,
           "ENV": "test", "JWT_SECRET": secrets.token_urlsafe(48), "PYTHONPATH": str(ROOT),
           "BENCH_STATS_DIR": stats_dir}
    env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{ROOT / 'benchmarks'}"
    server = subprocess.Popen(  # the product's server: a listening socket per worker (SO_REUSEPORT)
        [sys.executable, "-m", "entrypoints.http.serve", "--app", "community_load:make_app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(args.workers), "--log-level", "warning"], env=env, cwd=str(ROOT))
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=1) as probe:
            for _ in range(600):
                try:
                    if (await probe.get("/health")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        users = await dancers(base, db_url)
        cases = [
            ("leaderboard", "GET", f"/api/challenges/{CHALLENGE}/leaderboard?page=1&limit=20", None),
            ("feed", "GET", "/api/feed?page=1&limit=20", None),
            ("challenge search", "POST", "/api/challenges/search",
             {"query": "challenge", "type": "spin", "active_only": True, "page": 1, "limit": 20}),
        ]
        print(f"server workers={args.workers}, concurrency={args.concurrency}, client={args.client}"
              + (f", requests/case={args.requests}" if args.client == "httpx" else ", 10 s/case"))
        print(f"{'case':<18}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
        splits = []
        for name, method, path, body in cases:
            await asyncio.sleep(1.0)  # the servers' counters are written twice a second
            before = (server_totals(stats_dir), cpu_seconds(server.pid), resource.getrusage(resource.RUSAGE_CHILDREN))
            if args.client == "wrk":
                res = await asyncio.to_thread(load_wrk, base, users[0]["token"], method, path, body, 10,
                                              args.concurrency)
            else:
                res = await load(base, users, method, path, body, args.requests, args.concurrency)
            await asyncio.sleep(1.0)
            after = (server_totals(stats_dir), cpu_seconds(server.pid), resource.getrusage(resource.RUSAGE_CHILDREN))
            splits.append((name, before, after))
            print(f"{name:<18}{res['rps']:>10.0f}{res['p50_ms']:>10.1f}{res['p99_ms']:>10.1f}{res['errors']:>8}",
                  flush=True)
        print("\nwhere the time went, per request (CPU ms: server, PostgreSQL, load generator; wall ms inside the app)")
        print(f"{'case':<18}{'server':>8}{'postgres':>10}{'loadgen':>9}{'SQL/req':>9}{'in app':>8}{'in SQL':>8}")
        for name, (s0, c0, r0), (s1, c1, r1) in splits:
            n = max(1.0, s1.get("requests", 0) - s0.get("requests", 0))
            per = {k: 1000 * (s1.get(k, 0) - s0.get(k, 0)) / n for k in ("app_seconds", "sql_seconds")}
            loadgen = (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) if args.client == "wrk" else 0.0
            print(f"{name:<18}{1000 * (c1['server'] - c0['server']) / n:>8.2f}"
                  f"{1000 * (c1['postgres'] - c0['postgres']) / n:>10.2f}{1000 * loadgen / n:>9.2f}"
                  f"{(s1.get('sql_statements', 0) - s0.get('sql_statements', 0)) / n:>9.2f}"
                  f"{per['app_seconds']:>8.2f}{per['sql_seconds']:>8.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.database:
            await drop(db_url)


if __name__ == "__main__":
    asyncio.run(main())
