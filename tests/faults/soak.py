"""``nox -s soak`` (not in CI): mixed load on the loopback stack for ``--minutes`` (30 by default), printing the
resident memory of the API and of each worker every ``--every`` seconds, then the growth after the first 5 minutes.

    python tests/faults/soak.py [--minutes 30] [--every 30] [--concurrency 3]

Load: reads and sign-ins from ``--concurrency`` clients, an upload every 10 s and an analysis every 20 s.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.faults.client import Load
from tests.faults.scenarios import VIDEO, setup, submit
from tests.faults.stack import Stack

WARM_MINUTES = 5.0


async def soak(stack: Stack, minutes: float, every: float, concurrency: int) -> int:
    ctx = await setup(stack)
    load = Load(ctx.api, ctx.user, concurrency=concurrency)
    load.start()
    started = time.monotonic()
    samples: list[tuple[float, dict[str, float]]] = []

    async def uploads_and_analyses() -> None:
        n = 0
        while True:
            await asyncio.sleep(10)
            n += 1
            await ctx.api.upload(ctx.user, VIDEO)
            if n % 2 == 0:
                await submit(ctx, 1)

    side = asyncio.create_task(uploads_and_analyses())
    names = ["api", *sorted(n for n in stack.procs if n.startswith("worker"))]
    print("minute  " + "  ".join(f"{n:>9}" for n in names) + "   (RSS MB)  requests", flush=True)
    try:
        while time.monotonic() - started < minutes * 60:
            rss = {n: stack.procs[n].rss_mb() for n in names}
            elapsed = (time.monotonic() - started) / 60
            samples.append((elapsed, rss))
            print(f"{elapsed:6.1f}  " + "  ".join(f"{rss[n]:9.0f}" for n in names)
                  + f"   {len(ctx.api.recorder.answers):>8}", flush=True)
            await asyncio.sleep(every)
    finally:
        side.cancel()
        await load.stop()
    ended = await ctx.api.wait_all(ctx.user, ctx.accepted, timeout=180)
    counted = Counter(a.status for a in ctx.api.recorder.answers)
    states = Counter(str(s.get("status")) for s in ended.values())
    print(f"answers {dict(sorted(counted.items()))}; analyses {dict(states)} of {len(ctx.accepted)}")
    warm = [rss for t, rss in samples if t >= WARM_MINUTES]
    if len(warm) >= 2:
        for name in names:
            first, last = warm[0][name], warm[-1][name]
            growth = 100 * (last - first) / first if first else float("nan")
            print(f"{name}: {first:.0f} MB at {WARM_MINUTES:.0f} min -> {last:.0f} MB at the end ({growth:+.1f} %)")
    else:
        print(f"(shorter than {WARM_MINUTES:.0f} min plus one sample: no growth figure)")
    await ctx.api.close()
    return 0 if counted.get(500, 0) == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--every", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="dance-soak-"))
    stack = Stack(root)
    try:
        stack.start()
        return asyncio.run(soak(stack, args.minutes, args.every, args.concurrency))
    finally:
        stack.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
