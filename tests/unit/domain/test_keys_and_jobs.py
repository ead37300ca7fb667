from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Conflict, Forbidden, InvalidInput
from domain.identity.user import Preferences, normalise_email
from domain.ids import is_id, new_id
from domain.jobs.job import Job, JobStatus
from domain.storage.keys import SYSTEM_AREAS, USER_AREAS, BlobKey
from domain.storage.policy import MB, UploadPolicy


@pytest.mark.parametrize("raw", ["", "/abs/x.mp4", "uploads/u/../v/x.mp4", "uploads//x", "uploads/./x",
                                 "uploads\\u\\x", "etc/passwd", "uploads/u/x y.mp4", "a" * 600])
def test_bad_keys_are_refused(raw):
    with pytest.raises(InvalidInput):
        BlobKey.parse(raw)


@given(st.text(min_size=1, max_size=40))
def test_a_parsed_key_never_escapes(raw):
    try:
        key = BlobKey.parse(raw)
    except InvalidInput:
        return
    assert ".." not in key.value.split("/") and not key.value.startswith("/")


def test_ownership_is_the_second_segment():
    key = BlobKey.parse("sessions/u1/s9/video.mp4")
    assert key.owner_id == "u1"
    key.check_access("u1", is_admin=False)
    key.check_access("someone", is_admin=True)
    with pytest.raises(Forbidden):
        key.check_access("u2", is_admin=False)
    with pytest.raises(Forbidden):
        BlobKey.parse("demos/intro.mp4").check_access("u1", is_admin=False)


def test_upload_policy_limits():
    policy = UploadPolicy()
    policy.check("video/mp4", 100 * MB)
    with pytest.raises(InvalidInput):
        policy.check("video/mp4", 100 * MB + 1)
    policy.check("video/mp4", 400 * MB, challenge=True)
    with pytest.raises(InvalidInput):
        policy.check("image/png", 6 * MB)
    with pytest.raises(InvalidInput):
        policy.check("text/html", 10)


def test_ids_are_24_hex_and_time_ordered():
    a, b = new_id(1_000), new_id(2_000)
    assert is_id(a) and is_id(b) and a < b


def test_email_and_preferences_rules():
    assert normalise_email("  Maya@Example.COM ") == "maya@example.com"
    with pytest.raises(InvalidInput):
        normalise_email("nope")
    with pytest.raises(InvalidInput):
        Preferences(style="disco")


def test_estimated_completion_extrapolates_the_measured_pace():
    from datetime import timedelta

    start = datetime(2025, 1, 28, 10, 0, tzinfo=UTC)
    job = Job(id="j", kind="k", user_id=None, created_at=start, updated_at=start).start(start)
    assert job.estimated_completion() is None
    quarter = job.advance(0.25, start + timedelta(seconds=10))
    assert quarter.estimated_completion() == start + timedelta(seconds=40)
    done = quarter.complete({}, start + timedelta(seconds=35))
    assert done.estimated_completion() == start + timedelta(seconds=35)


def test_job_lifecycle():
    now = datetime.now(UTC)
    job = Job(id="j", kind="k", user_id=None, created_at=now, updated_at=now)
    running = job.start(now).advance(0.4, now).advance(0.2, now)
    assert running.status is JobStatus.PROCESSING and running.progress == 0.4  # progress never goes back
    failed = running.fail("video has no person", now)
    assert failed.status is JobStatus.FAILED and failed.error == "video has no person" and failed.result is None
    with pytest.raises(Conflict):
        failed.start(now)


def test_feedback_names_an_instant_as_such():
    from domain.analysis.scoring._util import when

    assert when(4.21, 6.0) == "between 4.2 s and 6.0 s"
    assert when(11.31, 11.34) == "at 11.3 s"


_segment = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+=@-]{0,20}", fullmatch=True).filter(
    lambda s: s not in (".", "..") and not s.lower().endswith(".meta"))


@given(area=st.sampled_from(SYSTEM_AREAS), rest=st.lists(_segment, min_size=2, max_size=5), user=_segment)
def test_system_area_keys_of_any_depth_have_no_owner_and_only_admins_reach_them(area, rest, user):
    key = BlobKey.parse("/".join([area, *rest]))
    assert key.owner_id is None
    with pytest.raises(Forbidden):
        key.check_access(rest[0], is_admin=False)  # naming the "owner" segment does not make it yours
    with pytest.raises(Forbidden):
        key.check_access(user, is_admin=False)
    key.check_access(user, is_admin=True)


@given(area=st.sampled_from(USER_AREAS), owner=_segment, rest=st.lists(_segment, min_size=1, max_size=4),
       dots=st.sampled_from(["..", "."]), position=st.integers(min_value=0, max_value=4))
def test_user_keys_belong_to_their_second_segment_and_dot_segments_never_parse(area, owner, rest, dots, position):
    parts = [area, owner, *rest]
    key = BlobKey.parse("/".join(parts))
    assert key.owner_id == owner
    key.check_access(owner, is_admin=False)
    spliced = [*parts[: position + 1], dots, *parts[position + 1:]]
    with pytest.raises(InvalidInput):
        BlobKey.parse("/".join(spliced))
