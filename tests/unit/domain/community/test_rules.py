"""Challenge, submission, session, retention and energy rules: time is passed in, nothing sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.community.activity import ASSUMED_BODY_MASS_KG, calories, met_for
from domain.community.challenge import (
    BadgeRule,
    Challenge,
    ScoringCriteria,
    plan_rotation,
    score_bucket,
    time_remaining,
    todays_challenge,
)
from domain.community.retention import RetentionPolicy
from domain.community.session import DanceSession, SessionStatus
from domain.community.submission import Submission, SubmissionMetadata, SubmissionStatus
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound

T0 = datetime(2025, 1, 28, 12, 0, tzinfo=UTC)


def ch(cid: str, start_h: float, hours: float, active: bool = False) -> Challenge:
    start = T0 + timedelta(hours=start_h)
    return Challenge(id=cid, title=cid, start_time=start, end_time=start + timedelta(hours=hours), is_active=active,
                     created_at=T0, updated_at=T0)


def test_window_must_be_ordered_and_aware():
    with pytest.raises(InvalidInput):
        ch("x", 0, 0)
    with pytest.raises(InvalidInput):
        Challenge(id="x", title="x", start_time=datetime(2025, 1, 1), end_time=datetime(2025, 1, 2),
                  created_at=T0, updated_at=T0)


def test_todays_challenge_is_the_open_one_most_recently_started():
    old, newer, future, past = ch("old", -10, 24), ch("newer", -2, 24), ch("future", 5, 24), ch("past", -30, 10)
    assert todays_challenge([old, newer, future, past], T0).id == "newer"
    assert todays_challenge([old, past], T0).id == "old"
    assert todays_challenge([future, past], T0) is None
    # The window is half-open: at its end it is no longer today's.
    assert todays_challenge([ch("edge", -24, 24)], T0) is None


def test_rotation_deactivates_expired_and_activates_opened():
    plan = plan_rotation([ch("expired", -30, 10, active=True), ch("opened", -1, 5, active=False),
                          ch("steady", -1, 5, active=True), ch("later", 3, 5, active=False)], T0)
    assert plan.deactivate == ("expired",) and plan.activate == ("opened",)
    assert plan_rotation([], T0).activate == ()


def test_scoring_criteria_sum_to_100():
    assert ScoringCriteria.of(None).as_dict() == {"balance": 25, "rhythm": 30, "smoothness": 25, "creativity": 20}
    assert ScoringCriteria.of({"balance": 40, "rhythm": 20, "smoothness": 20, "creativity": 20}).balance == 40
    for bad in ({"balance": 50, "rhythm": 30, "smoothness": 25, "creativity": 20}, {"style": 100},
                {"balance": 100.5, "rhythm": -0.5}):
        with pytest.raises(InvalidInput):
            ScoringCriteria.of(bad)


@pytest.mark.parametrize(("score", "badge"), [(95, "gold"), (90, "gold"), (89.9, "silver"), (75, "silver"),
                                              (74.9, "bronze"), (60, "bronze"), (59.9, None), (0, None), (None, None)])
def test_badge_rule(score, badge):
    assert BadgeRule().badge_for(score) == badge


@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_badges_are_monotonic(a, b):
    order = {None: 0, "bronze": 1, "silver": 2, "gold": 3}
    low, high = sorted((a, b))
    assert order[BadgeRule().badge_for(low)] <= order[BadgeRule().badge_for(high)]


@pytest.mark.parametrize(("score", "bucket"), [(0, "0-20"), (20.4, "0-20"), (20.6, "21-40"), (40, "21-40"),
                                               (41, "41-60"), (80.49, "61-80"), (81, "81-100"), (100, "81-100")])
def test_score_buckets(score, bucket):
    assert score_bucket(score) == bucket


def test_time_remaining_format():
    assert time_remaining(T0 + timedelta(hours=23, minutes=45, seconds=30), T0) == "23:45:30"
    assert time_remaining(T0 + timedelta(hours=49), T0) == "49:00:00"
    assert time_remaining(T0 - timedelta(hours=1), T0) == "00:00:00"


def test_submission_window_and_ownership():
    c = ch("c", -1, 2)
    c.check_accepts_submissions(T0)
    with pytest.raises(InvalidInput, match="ended"):
        c.check_accepts_submissions(T0 + timedelta(hours=2))
    with pytest.raises(InvalidInput, match="not started"):
        ch("d", 1, 2).check_accepts_submissions(T0)
    sub = Submission(id="s", challenge_id="c", user_id="u", video_key="k", submitted_at=T0, updated_at=T0)
    sub.check_owner("u")
    with pytest.raises(Forbidden):
        sub.check_owner("v")


def test_scores_only_from_analysis_and_failure_clears_everything():
    sub = Submission(id="s", challenge_id="c", user_id="u", video_key="k", submitted_at=T0, updated_at=T0)
    assert sub.total_score is None and sub.status is SubmissionStatus.PENDING
    done = sub.analysed(total_score=91.2, breakdown={"balance": 24.0}, feedback="ok", confidence=0.9,
                        pose_data_key="p", rule=BadgeRule(), finished_at=T0)
    assert done.badge == "gold" and done.processed_at == T0 and done.status is SubmissionStatus.COMPLETED
    failed = done.analysis_failed("no person found", T0)
    assert (failed.total_score, failed.breakdown, failed.badge, failed.status) == (None, None, None,
                                                                                    SubmissionStatus.FAILED)
    assert failed.analysis_error == "no person found"


def test_private_never_reaches_the_feed():
    assert not SubmissionMetadata(is_public=False, shared_to_feed=True).in_feed
    assert SubmissionMetadata(is_public=True, shared_to_feed=True).in_feed
    with pytest.raises(InvalidInput):
        SubmissionMetadata(tags=("",))


def test_session_lifecycle():
    s = DanceSession(id="s", user_id="u", title="Morning", started_at=T0, created_at=T0)
    with pytest.raises(NotFound):
        s.check_visible_to("v")
    with pytest.raises(Forbidden):
        s.complete(user_id="v", now=T0, video_key=None, thumbnail_key=None, duration=None, notes=None)
    done = s.complete(user_id="u", now=T0 + timedelta(minutes=3), video_key="k", thumbnail_key=None, duration=None,
                      notes="n")
    assert done.status is SessionStatus.COMPLETED and done.duration == 180 and done.video_key == "k"
    with pytest.raises(Conflict):
        done.complete(user_id="u", now=T0, video_key=None, thumbnail_key=None, duration=None, notes=None)
    with pytest.raises(InvalidInput):
        s.complete(user_id="u", now=T0, video_key=None, thumbnail_key=None, duration=-1, notes=None)


def test_retention_policy():
    policy = RetentionPolicy()
    assert policy.challenge_expired(T0 - timedelta(days=91), 0, T0)
    assert not policy.challenge_expired(T0 - timedelta(days=91), 1, T0)
    assert not policy.challenge_expired(T0 - timedelta(days=89), 0, T0)
    assert policy.submission_expired(True, T0 - timedelta(days=31), T0)
    assert not policy.submission_expired(False, T0 - timedelta(days=365), T0)
    assert not policy.submission_expired(True, T0 - timedelta(days=29), T0)


def test_calories_from_met_table():
    assert met_for("hip-hop") == met_for("Hip Hop") == 7.8
    assert met_for("waltz") == 3.0 and met_for("ballet") == 5.0 and met_for(None) == 7.8
    assert calories(3600, "salsa") == round(4.5 * ASSUMED_BODY_MASS_KG)
    assert calories(900, "hip hop") == round(7.8 * 70 * 0.25)
    assert calories(0, "hip hop") == 0
