"""Swing records: public ids, stage progress, plan limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.coaching.records import (
    MAX_PUBLIC_ID,
    STAGE_NAMES,
    CoachingNotFound,
    DailyLimitReached,
    PlanLimits,
    SwingAnalysisStatus,
    new_public_id,
    parse_public_id,
    stage_progress,
)


def test_ids_are_53_bit_and_not_sequential() -> None:
    ids = [new_public_id() for _ in range(2000)]
    assert all(1 <= i <= MAX_PUBLIC_ID for i in ids) and len(set(ids)) == len(ids)
    assert sum(i > 2**52 for i in ids) > 800  # uniform: about half have the top bit set
    assert max(ids) - min(ids) > 2**50


@pytest.mark.parametrize("raw", ["abc", "0", "-4", str(2**53), "1.5", ""])
def test_bad_ids_are_not_found(raw: str) -> None:
    with pytest.raises(CoachingNotFound) as err:
        parse_public_id(raw, "Video")
    assert err.value.code == "video_not_found"


def test_stage_progress_follows_the_jobs_stage() -> None:
    assert stage_progress(SwingAnalysisStatus.QUEUED, None, 0.0) == {
        "upload": 1.0, "pose_detection": 0.0, "analysis": 0.0, "video_composition": 0.0}
    mid = stage_progress(SwingAnalysisStatus.PROCESSING, "pose_detection", 0.335)
    assert mid == {"upload": 1.0, "pose_detection": 0.5, "analysis": 0.0, "video_composition": 0.0}
    late = stage_progress(SwingAnalysisStatus.PROCESSING, "video_composition", 0.84)
    assert late == {"upload": 1.0, "pose_detection": 1.0, "analysis": 1.0, "video_composition": 0.5}
    assert set(stage_progress(SwingAnalysisStatus.COMPLETED, None, 0.3).values()) == {1.0}


@given(st.sampled_from(STAGE_NAMES), st.floats(0, 1), st.floats(0, 1))
def test_stage_progress_never_goes_back(stage: str, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    before = stage_progress(SwingAnalysisStatus.PROCESSING, stage, lo)
    after = stage_progress(SwingAnalysisStatus.PROCESSING, stage, hi)
    assert all(0.0 <= before[k] <= after[k] <= 1.0 for k in STAGE_NAMES)


def test_plans() -> None:
    limits = PlanLimits(free_per_day=2, pro_per_day=None, anonymous_per_day=200,
                        pro_emails=frozenset({"pro@example.com"}))
    now = datetime(2025, 8, 8, 23, 0, tzinfo=UTC)
    assert limits.plan_of("Pro@example.com", False, False) == "pro"
    assert limits.plan_of("a@example.com", True, False) == "pro"  # admins
    assert limits.plan_of("a@example.com", False, True) == "anonymous"
    limits.check("free", 1, now)
    limits.check("pro", 10_000, now)
    with pytest.raises(DailyLimitReached) as err:
        limits.check("free", 2, now)
    assert err.value.retry_after == 3601 and "2 swing analyses per day" in err.value.message
