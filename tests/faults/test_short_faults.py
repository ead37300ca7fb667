"""The short subset of the fault suite (``nox -s faults`` runs all of it): the stack on loopback with one worker,
Redis away 5 s while an analysis is accepted, and the worker SIGKILLed mid-analysis. Each is judged as in the
full suite: every accepted analysis ends within 2 minutes of the return, no 500 or non-JSON error, requests
succeed again within 30 s."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.faults.scenarios import Context, redis_down, setup, workers_killed
from tests.faults.stack import Stack, missing_tools

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.media]


@pytest.fixture(scope="module")
def stack(media_dir):
    missing = missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the fault suite needs {', '.join(missing)}")
        pytest.skip(f"the fault suite needs {', '.join(missing)}")
    # A short lease and reconcile period, so a killed worker's job is taken over within seconds.
    # Not under pytest's tmp folder: it is private to root, and PostgreSQL runs as its own account when we are root.
    root = Path(tempfile.mkdtemp(prefix="dance-faults-"))
    s = Stack(root, workers=1,
              extra_env={"JOB_LEASE_SECONDS": "15", "RECONCILE_SECONDS": "2"})
    try:
        s.start()
        yield s
    finally:
        s.close()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
async def ctx(stack):
    context = await setup(stack)
    context.tail = 5
    yield context
    await context.api.close()


async def test_redis_away_5_s_with_an_analysis_accepted_meanwhile(ctx: Context):
    outcome = await redis_down(ctx, down_for=5, before=1)
    assert outcome.held, outcome.line()
    assert "accepted during the outage 1 of 1" in outcome.figures, outcome.line()


async def test_a_worker_killed_mid_analysis_is_replaced_and_the_analysis_ends(ctx: Context):
    outcome = await workers_killed(ctx, n=1, at_least=1)
    assert outcome.held, outcome.line()
    assert "completed 1" in outcome.figures, outcome.line()
