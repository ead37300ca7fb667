"""``nox -s faults``: bring up the stack on loopback, run the scenarios (all, or those named), one line each.

    python tests/faults/run_faults.py [--keep] [SCENARIO ...]     # names: see tests/faults/scenarios.py

Exit status 1 when a scenario failed. Logs of every process stay in the printed folder with --keep.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.faults.scenarios import SCENARIOS, Outcome, setup
from tests.faults.stack import Stack, missing_tools


async def run(stack: Stack, names: list[str], scenario_timeout: float) -> list[Outcome]:
    ctx = await setup(stack)
    outcomes = []
    try:
        for name in names:
            started = time.monotonic()
            try:
                outcome = await asyncio.wait_for(SCENARIOS[name](ctx), scenario_timeout)
            except TimeoutError:
                outcome = Outcome(name, False, f"did not finish within {scenario_timeout:.0f} s")
            except Exception as exc:  # the harness itself: report it as the scenario's failure
                outcome = Outcome(name, False, f"harness error {type(exc).__name__}: {exc}")
            print(f"{outcome.line()} [{time.monotonic() - started:.0f} s, load {load()}]", flush=True)
            outcomes.append(outcome)
    finally:
        await ctx.api.close()
    return outcomes


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", default=list(SCENARIOS))
    parser.add_argument("--keep", action="store_true", help="keep the stack's folder (logs, data)")
    parser.add_argument("--scenario-timeout", type=float, default=420)
    args = parser.parse_args()
    unknown = [n for n in args.scenarios if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenarios {unknown}; known: {', '.join(SCENARIOS)}")
    missing = missing_tools()
    if missing:
        print(f"cannot run the fault suite: missing {', '.join(missing)}")
        return 2
    root = Path(tempfile.mkdtemp(prefix="dance-faults-"))
    stack = Stack(root)
    print(f"stack in {root} (load {load()})", flush=True)
    try:
        started = time.monotonic()
        stack.start()
        print(f"stack up in {time.monotonic() - started:.0f} s: PostgreSQL :{stack.pg_port}, Redis "
              f":{stack.redis_port}, S3 :{stack.s3_port}, API :{stack.api_port}, {stack.workers} workers", flush=True)
        outcomes = asyncio.run(run(stack, args.scenarios, args.scenario_timeout))
    finally:
        stack.close()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    held = sum(o.held for o in outcomes)
    print(f"{held} of {len(outcomes)} scenarios held")
    return 0 if held == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
