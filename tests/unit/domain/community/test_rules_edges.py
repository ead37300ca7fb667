"""Community rules at their edges: every limit at n and n+1, every refusal's message and field (the API returns
both), and the figures each rule computes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.community.activity import calories, met_for
from domain.community.challenge import (
    BadgeRule,
    Challenge,
    ScoringCriteria,
    check_window,
    score_bucket,
    time_remaining,
    todays_challenge,
    upcoming_window,
)
from domain.community.retention import RetentionPolicy
from domain.community.session import MAX_DURATION, DanceSession, SessionStatus, check_duration
from domain.community.submission import Submission, SubmissionMetadata, SubmissionStatus, check_comment
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound

T0 = datetime(2025, 1, 28, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def refused(make, *args, **kwargs) -> tuple[str, str | None]:
    with pytest.raises(InvalidInput) as caught:
        make(*args, **kwargs)
    return caught.value.message, caught.value.field


def challenge(**changes) -> Challenge:
    fields = dict(id="c1", title="Spin", start_time=T0, end_time=T0 + HOUR, created_at=T0, updated_at=T0)
    fields.update(changes)
    return Challenge(**fields)


# --- scoring criteria and badges -------------------------------------------------------------------------------

def test_criteria_refusals_say_why():
    assert refused(ScoringCriteria, balance=-1, rhythm=41) == ("Scoring criteria must not be negative.",
                                                              "scoringCriteria")
    assert refused(ScoringCriteria, balance=26) == ("Scoring criteria must sum to 100 (got 101).", "scoringCriteria")
    assert refused(ScoringCriteria.of, {"style": 50, "flair": 50}) == ("Unknown scoring criteria: flair, style.",
                                                                     "scoringCriteria")
    assert refused(ScoringCriteria.of, {"balance": 99.5, "rhythm": 0.5}) == ("Scoring criteria must be whole numbers.",
                                                                           "scoringCriteria")


def test_criteria_from_a_partial_dict_count_missing_parts_as_zero():
    criteria = ScoringCriteria.of({"balance": 70.0, "creativity": 30})
    assert criteria.as_dict() == {"balance": 70, "rhythm": 0, "smoothness": 0, "creativity": 30}
    assert ScoringCriteria(balance=0, rhythm=100, smoothness=0, creativity=0).rhythm == 100
    assert ScoringCriteria.of({}).as_dict() == ScoringCriteria().as_dict()


def test_badge_thresholds_must_be_ordered_inside_0_to_100():
    message = ("Badge thresholds must satisfy 0 <= bronze <= silver <= gold <= 100.", "badge")
    for gold, silver, bronze in ((101, 75, 60), (90, 91, 60), (90, 75, 76), (90, 75, -1)):
        assert refused(BadgeRule, gold=gold, silver=silver, bronze=bronze) == message
    tied = BadgeRule(gold=90, silver=60, bronze=60)  # equal tiers are allowed: the higher one wins
    assert (tied.badge_for(60), tied.badge_for(59.9)) == ("silver", None)
    edge = BadgeRule(gold=100, silver=100, bronze=0)
    assert (edge.badge_for(100), edge.badge_for(99.9), edge.badge_for(0)) == ("gold", "bronze", "bronze")


def test_a_custom_badge_rule_uses_its_own_thresholds():
    rule = BadgeRule(gold=50, silver=40, bronze=30)
    assert [rule.badge_for(s) for s in (50, 49.9, 40, 39.9, 30, 29.9)] == [
        "gold", "silver", "silver", "bronze", "bronze", None]


@pytest.mark.parametrize(("score", "bucket"), [(-5, "0-20"), (20.5, "0-20"), (21, "21-40"), (60.5, "41-60"),
                                               (61, "61-80"), (80.5, "61-80"), (81.5, "81-100"), (140, "81-100")])
def test_score_buckets_clamp_and_round_half_to_even(score, bucket):
    assert score_bucket(score) == bucket


# --- windows and time ------------------------------------------------------------------------------------------

def test_window_refusals_say_why():
    naive = datetime(2025, 1, 28, 12, 0)
    tz_message = ("startTime and endTime must carry a time zone (e.g. 2025-01-28T00:00:00Z).", "startTime")
    assert refused(check_window, naive, T0 + HOUR) == tz_message
    assert refused(check_window, T0, naive + HOUR) == tz_message
    assert refused(check_window, T0, T0) == ("startTime must be before endTime.", "endTime")
    assert refused(check_window, T0 + HOUR, T0) == ("startTime must be before endTime.", "endTime")
    check_window(T0, T0 + timedelta(microseconds=1))


def test_time_remaining_under_a_minute_and_under_an_hour():
    assert time_remaining(T0 + timedelta(seconds=59.9), T0) == "00:00:59"
    assert time_remaining(T0 + timedelta(minutes=61, seconds=1), T0) == "01:01:01"
    assert time_remaining(T0 + timedelta(hours=100, minutes=59, seconds=59), T0) == "100:59:59"


def test_upcoming_window_is_1_to_365_days():
    assert upcoming_window(T0, 1) == (T0, T0 + timedelta(days=1))
    assert upcoming_window(T0, 365) == (T0, T0 + timedelta(days=365))
    for days in (0, 366, -1):
        assert refused(upcoming_window, T0, days) == ("days must be between 1 and 365.", "days")


# --- challenges ------------------------------------------------------------------------------------------------

def test_challenge_refusals_say_why():
    assert refused(challenge, title="  ") == ("Title is required.", "title")
    assert refused(challenge, title="t" * 201) == ("Title is at most 200 characters.", "title")
    assert challenge(title="t" * 200).title == "t" * 200
    assert refused(challenge, difficulty="expert") == ("difficulty must be one of: beginner, intermediate, advanced.",
                                                      "difficulty")
    assert refused(challenge, points=-1) == ("points must not be negative.", "points")
    assert challenge(points=0).points == 0
    assert refused(challenge, end_time=T0) == ("startTime must be before endTime.", "endTime")
    for difficulty in ("beginner", "intermediate", "advanced"):
        assert challenge(difficulty=difficulty).difficulty == difficulty


def test_the_window_is_half_open_and_a_closed_challenge_says_which_side():
    c = challenge()
    assert [c.is_open(t) for t in (T0 - timedelta(microseconds=1), T0, T0 + HOUR / 2, T0 + HOUR)] == [
        False, True, True, False]
    assert refused(c.check_accepts_submissions, T0 - timedelta(seconds=1)) == (
        "This challenge is not active: it has not started yet.", "challenge_id")
    assert refused(c.check_accepts_submissions, T0 + HOUR) == ("This challenge is not active: it has ended.",
                                                              "challenge_id")
    c.check_accepts_submissions(T0)


def test_categories_put_the_main_one_first_without_repeats():
    assert challenge(category="salsa", categories=("latin", "salsa", "latin")).all_categories() == ("salsa", "latin")
    assert challenge(categories=("latin", "fun")).all_categories() == ("latin", "fun")
    assert challenge().all_categories() == ()


def test_badge_rule_of_a_challenge_is_the_standard_one():
    assert challenge().badge_rule == BadgeRule()


def test_synced_brings_the_flag_in_line_with_the_window():
    inactive = challenge()
    now = T0 + HOUR / 2
    opened = inactive.synced(now)
    assert (opened.is_active, opened.updated_at) == (True, now)
    assert opened.synced(now) is opened
    closed = opened.synced(T0 + 2 * HOUR)
    assert (closed.is_active, closed.updated_at) == (False, T0 + 2 * HOUR)
    assert inactive.synced(T0 + 2 * HOUR) is inactive


def test_todays_challenge_breaks_a_start_time_tie_by_the_latest_id():
    a, b = challenge(id="a"), challenge(id="b")
    assert todays_challenge([b, a], T0).id == "b"
    assert todays_challenge([a, b], T0).id == "b"


# --- sessions --------------------------------------------------------------------------------------------------

def session(**changes) -> DanceSession:
    fields = dict(id="s1", user_id="u1", title="Morning", started_at=T0, created_at=T0)
    fields.update(changes)
    return DanceSession(**fields)


def test_session_refusals_say_why():
    assert refused(session, title=" ") == ("Title must be 1-200 characters.", "title")
    assert refused(session, title="t" * 201) == ("Title must be 1-200 characters.", "title")
    assert session(title="t" * 200).title == "t" * 200
    assert refused(session, tags=("x",) * 31) == ("At most 30 tags.", "tags")
    assert len(session(tags=("x",) * 30).tags) == 30
    assert refused(session, duration=MAX_DURATION + 1) == ("duration must be between 0 and 86400 seconds.",
                                                          "duration")


def test_duration_bounds():
    assert (check_duration(None), check_duration(0), check_duration(86400)) == (0, 0, 86400)
    assert MAX_DURATION == 86400
    for bad in (-1, 86401):
        assert refused(check_duration, bad) == ("duration must be between 0 and 86400 seconds.", "duration")


def test_a_session_is_visible_to_its_owner_and_admins_only():
    s = session()
    s.check_visible_to("u1")
    s.check_visible_to("u2", is_admin=True)
    with pytest.raises(NotFound) as caught:
        s.check_visible_to("u2")
    assert caught.value.message == "Session not found"


def test_completing_keeps_what_is_not_given_and_measures_what_is_missing():
    s = session(video_key="v0", thumbnail_key="t0", notes="before")
    done = s.complete(user_id="u1", now=T0 + timedelta(seconds=90), video_key=None, thumbnail_key=None,
                      duration=None, notes=None)
    assert (done.status, done.video_key, done.thumbnail_key, done.notes, done.duration, done.completed_at) == (
        SessionStatus.COMPLETED, "v0", "t0", "before", 90, T0 + timedelta(seconds=90))
    given = s.complete(user_id="u1", now=T0 + HOUR, video_key="v1", thumbnail_key="t1", duration=42, notes="")
    assert (given.video_key, given.thumbnail_key, given.duration, given.notes) == ("v1", "t1", 42, "")
    declared = session(duration=600).complete(user_id="u1", now=T0 + HOUR, video_key=None, thumbnail_key=None,
                                              duration=None, notes=None)
    assert declared.duration == 600
    early = s.complete(user_id="u1", now=T0 - HOUR, video_key=None, thumbnail_key=None, duration=None, notes=None)
    assert early.duration == 0
    with pytest.raises(Forbidden) as caught:
        s.complete(user_id="u2", now=T0, video_key=None, thumbnail_key=None, duration=None, notes=None)
    assert caught.value.message == "You can only complete your own session."
    with pytest.raises(Conflict) as conflict:
        done.complete(user_id="u1", now=T0, video_key=None, thumbnail_key=None, duration=None, notes=None)
    assert conflict.value.message == "Session is already completed."
    assert refused(s.complete, user_id="u1", now=T0 + 2 * timedelta(days=1), video_key=None, thumbnail_key=None,
                   duration=None, notes=None)[1] == "duration"


# --- submissions -----------------------------------------------------------------------------------------------

def test_metadata_limits_at_n_and_n_plus_1():
    assert len(SubmissionMetadata(caption="c" * 2000).caption) == 2000
    assert refused(SubmissionMetadata, caption="c" * 2001) == ("Caption is at most 2000 characters.", "caption")
    tags_message = ("At most 30 tags of 1-50 characters.", "tags")
    assert len(SubmissionMetadata(tags=("t",) * 30).tags) == 30
    assert refused(SubmissionMetadata, tags=("t",) * 31) == tags_message
    assert SubmissionMetadata(tags=("t" * 50,)).tags == ("t" * 50,)
    assert refused(SubmissionMetadata, tags=("t" * 51,)) == tags_message
    assert refused(SubmissionMetadata, tags=("ok", "  ")) == tags_message
    assert SubmissionMetadata(location="l" * 200).location == "l" * 200
    assert refused(SubmissionMetadata, location="l" * 201) == ("Location is at most 200 characters.", "location")
    assert SubmissionMetadata(highlight_text="h" * 500).highlight_text == "h" * 500
    assert refused(SubmissionMetadata, highlight_text="h" * 501) == ("Highlight text is at most 500 characters.",
                                                                    "highlightText")


def test_the_feed_needs_both_public_and_shared():
    assert [SubmissionMetadata(is_public=p, shared_to_feed=s).in_feed
            for p, s in ((True, True), (True, False), (False, True), (False, False))] == [True, False, False, False]


def submission(**changes) -> Submission:
    fields = dict(id="s", challenge_id="c", user_id="u", video_key="k", submitted_at=T0, updated_at=T0)
    fields.update(changes)
    return Submission(**fields)


def test_ownership_refusal_says_why():
    with pytest.raises(Forbidden) as caught:
        submission().check_owner("v")
    assert caught.value.message == "You can only change your own submission."


def test_new_metadata_stamps_the_update():
    meta = SubmissionMetadata(caption="new")
    changed = submission().with_metadata(meta, T0 + HOUR)
    assert (changed.metadata, changed.updated_at, changed.submitted_at) == (meta, T0 + HOUR, T0)


def test_an_analysis_records_every_figure_and_its_badge():
    breakdown = {"balance": 20.0, "rhythm": 25.0}
    done = submission(video_duration=9.0, analysis_error="old").analysed(
        total_score=74.9, breakdown=breakdown, feedback="f", confidence=0.8, pose_data_key="p",
        rule=BadgeRule(), finished_at=T0 + HOUR, video_duration=12.5)
    assert (done.status, done.total_score, done.breakdown, done.feedback, done.confidence, done.pose_data_key,
            done.badge, done.analysis_error, done.processed_at, done.updated_at, done.video_duration) == (
        SubmissionStatus.COMPLETED, 74.9, breakdown, "f", 0.8, "p", "bronze", None, T0 + HOUR, T0 + HOUR, 12.5)
    breakdown["balance"] = 0.0
    assert done.breakdown == {"balance": 20.0, "rhythm": 25.0}  # a copy, not the caller's dict
    kept = submission(video_duration=9.0).analysed(total_score=10, breakdown={}, feedback=None, confidence=None,
                                                   pose_data_key=None, rule=BadgeRule(), finished_at=T0)
    assert (kept.video_duration, kept.badge) == (9.0, None)


def test_a_failed_analysis_carries_no_figures():
    scored = submission().analysed(total_score=95, breakdown={"balance": 25.0}, feedback="f", confidence=0.9,
                                   pose_data_key="p", rule=BadgeRule(), finished_at=T0)
    failed = scored.analysis_failed("no person", T0 + HOUR)
    assert (failed.status, failed.total_score, failed.breakdown, failed.feedback, failed.confidence, failed.badge,
            failed.analysis_error, failed.processed_at, failed.updated_at) == (
        SubmissionStatus.FAILED, None, None, None, None, None, "no person", T0 + HOUR, T0 + HOUR)


def test_comments_are_trimmed_and_1_to_1000_characters():
    assert check_comment("  nice spin \n") == "nice spin"
    assert check_comment(" " + "c" * 1000 + " ") == "c" * 1000
    assert refused(check_comment, " \t ") == ("Comment text is required.", "text")
    assert refused(check_comment, "c" * 1001) == ("Comment is at most 1000 characters.", "text")


# --- retention and energy --------------------------------------------------------------------------------------

def test_retention_cutoffs_are_exclusive():
    policy = RetentionPolicy()
    assert policy.challenge_cutoff(T0) == T0 - timedelta(days=90)
    assert policy.failed_submission_cutoff(T0) == T0 - timedelta(days=30)
    assert not policy.challenge_expired(T0 - timedelta(days=90), 0, T0)
    assert policy.challenge_expired(T0 - timedelta(days=90, microseconds=1), 0, T0)
    assert not policy.submission_expired(True, T0 - timedelta(days=30), T0)
    assert policy.submission_expired(True, T0 - timedelta(days=30, microseconds=1), T0)
    short = replace(policy, empty_challenge_days=1, failed_submission_days=2)
    assert short.challenge_cutoff(T0) == T0 - timedelta(days=1)
    assert short.failed_submission_cutoff(T0) == T0 - timedelta(days=2)


@pytest.mark.parametrize(("style", "met"), [
    ("salsa", 4.5), ("  Salsa ", 4.5), ("cha_cha", 3.0), ("Cha Cha", 3.0), ("ballroom", 5.5), ("tap", 4.8),
    ("zumba", 7.3), ("competitive", 11.3), ("hip_hop", 7.8), ("polka", 7.8), ("", 7.8), (None, 7.8),
])
def test_met_per_style(style, met):
    assert met_for(style) == met


def test_calories_are_met_times_mass_times_hours_rounded():
    assert calories(3600, "competitive") == 791  # 11.3 x 70 x 1
    assert calories(1800, "waltz", mass_kg=80) == 120  # 3.0 x 80 x 0.5
    assert calories(60, "tap") == 6  # 4.8 x 70 / 60 = 5.6
    assert calories(-10, "salsa") == 0
    assert calories(1, None) == 0  # 7.8 x 70 / 3600 = 0.15
    assert calories(1, "competitive", mass_kg=1000) == 3  # 11.3 x 1000 / 3600 = 3.14: one second still counts
    assert calories(36000, "competitive") == 7910  # ten hours: 11.3 x 70 x 10
