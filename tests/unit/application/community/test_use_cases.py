"""Use cases with in-memory fakes: the sink scores only from the analysis; submissions race on the repository."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from application.community.jobs import CleanupData, RotateChallenges
from application.community.submissions import ApplyAnalysisResult
from application.ports.analysis_records import SubmissionAnalysis
from domain.community.challenge import Challenge
from domain.community.submission import Submission, SubmissionStatus
from tests.unit.application.fakes import FakeClock, FakeTx

NOW = FakeClock().now()


class Challenges:
    def __init__(self, *items: Challenge) -> None:
        self.rows = {c.id: c for c in items}
        self.deleted: list[str] = []
        self.submitted: dict[str, int] = {}

    async def get(self, cid):
        return self.rows.get(cid)

    async def out_of_sync(self, now):
        return [c for c in self.rows.values() if c.is_active != c.is_open(now)]

    async def set_active(self, ids, active, now):
        for i in ids:
            self.rows[i] = replace(self.rows[i], is_active=active)
        return len(ids)

    async def ended_before(self, before):
        return [(c, self.submitted.get(c.id, 0)) for c in self.rows.values() if c.end_time < before]

    async def delete(self, cid):
        self.deleted.append(cid)
        self.rows.pop(cid)


class Submissions:
    def __init__(self, *items: Submission) -> None:
        self.rows = {s.id: s for s in items}

    async def get(self, sid):
        return self.rows.get(sid)

    async def save(self, s):
        self.rows[s.id] = s

    async def failed_before(self, before):
        return [s for s in self.rows.values() if s.status is SubmissionStatus.FAILED and s.submitted_at < before]

    async def delete(self, ids):
        for i in ids:
            self.rows.pop(i)
        return len(ids)


class Runs:
    def __init__(self) -> None:
        self.kinds: list[str] = []

    async def record(self, run_id, kind, started_at, finished_at, details):
        self.kinds.append(kind)

    async def last(self, kind):
        return None


class Blobs:
    def __init__(self) -> None:
        self.deleted: list[str] = []

    async def delete(self, key):
        self.deleted.append(key.value)
        return True


def challenge(cid="c" * 24, start=NOW - timedelta(hours=1), hours=2.0, active=True) -> Challenge:
    return Challenge(id=cid, title="T", start_time=start, end_time=start + timedelta(hours=hours), is_active=active,
                     created_at=start, updated_at=start)


def submission(**kw) -> Submission:
    return Submission(**{"id": "s" * 24, "challenge_id": "c" * 24, "user_id": "u" * 24,
                         "video_key": f"challenges/{'u' * 24}/c/v.mp4", "submitted_at": NOW, "updated_at": NOW,
                         **kw})


def result(**kw) -> SubmissionAnalysis:
    return SubmissionAnalysis(**{"submission_id": "s" * 24, "completed": True, "total_score": 77.5,
                                 "breakdown": {"balance": 20.0, "rhythm": 25.0, "smoothness": 20.0,
                                               "creativity": 12.5},
                                 "feedback": "Nice", "confidence": 0.8, "pose_data_key": "pose-data/x/p.json.gz",
                                 "error": None, "finished_at": NOW, **kw})


async def test_sink_fills_score_and_badge_only_from_the_result():
    subs, changed = Submissions(submission()), []
    sink = ApplyAnalysisResult(submissions=subs, challenges=Challenges(challenge()), changed=changed.append)
    await sink.record(result())
    s = subs.rows["s" * 24]
    assert (s.total_score, s.badge, s.status, s.processed_at) == (77.5, "silver", SubmissionStatus.COMPLETED, NOW)
    assert changed == ["c" * 24]


async def test_sink_records_failure_without_a_score_and_ignores_unknown_submissions():
    subs = Submissions(submission())
    sink = ApplyAnalysisResult(submissions=subs, challenges=Challenges(challenge()))
    await sink.record(result(completed=False, total_score=None, breakdown=None, error="no person in the video"))
    s = subs.rows["s" * 24]
    assert s.total_score is None and s.badge is None and s.analysis_error == "no person in the video"
    await sink.record(result(submission_id="nope"))  # an analysis that is not a challenge submission
    assert list(subs.rows) == ["s" * 24]


async def test_rotation_use_case_commits_and_records_a_run():
    expired = challenge(cid="a" * 24, start=NOW - timedelta(hours=5), active=True)
    opened = challenge(cid="b" * 24, active=False)
    tx, runs = FakeTx(), Runs()
    out = await RotateChallenges(challenges=Challenges(expired, opened), runs=runs, tx=tx, clock=FakeClock())()
    assert (out.deactivated, out.activated) == (1, 1) and tx.commits == 1 and runs.kinds == ["rotate-challenges"]


async def test_cleanup_deletes_rows_then_their_blobs():
    old_failed = submission(status=SubmissionStatus.FAILED, submitted_at=NOW - timedelta(days=40),
                            pose_data_key=None)
    recent_failed = submission(id="r" * 24, status=SubmissionStatus.FAILED, submitted_at=NOW - timedelta(days=2))
    gone = replace(challenge(cid="g" * 24, start=NOW - timedelta(days=100)), demo_video_key="demos/old.mp4")
    kept = challenge(cid="k" * 24, start=NOW - timedelta(days=100))  # as old, but someone submitted to it
    subs, chs = Submissions(old_failed, recent_failed), Challenges(gone, kept, challenge())
    blobs, tx = Blobs(), FakeTx()
    chs.submitted[kept.id] = 1
    out = await CleanupData(challenges=chs, submissions=subs, runs=Runs(), blobs=blobs, tx=tx, clock=FakeClock())()
    assert (out.submissions_deleted, out.challenges_deleted) == (1, 1)
    assert list(subs.rows) == ["r" * 24] and chs.deleted == ["g" * 24] and kept.id in chs.rows
    assert sorted(blobs.deleted) == sorted([old_failed.video_key, "demos/old.mp4"]) and tx.commits == 2
    assert out.timestamp == NOW  # the run is stamped with the use case's clock, not the machine's


class NewSubmissions(Submissions):
    async def add(self, s):
        self.rows[s.id] = s


class StoredBlobs(Blobs):
    async def put(self, key, data, content_type):
        from application.ports.storage import BlobInfo
        return BlobInfo(key=key, size=len(data), content_type=content_type)


def submit_use_case(analyse, tx):
    from application.community.submissions import SubmitToChallenge
    from domain.storage.policy import UploadPolicy

    submissions = NewSubmissions()
    use_case = SubmitToChallenge(challenges=Challenges(challenge()), submissions=submissions, blobs=StoredBlobs(),
                                 policy=UploadPolicy(), analyse=analyse, tx=tx, clock=FakeClock())
    return use_case, submissions


def submit_command():
    import base64

    from application.community.submissions import SubmitCommand
    from domain.community.submission import SubmissionMetadata
    from domain.identity.user import User

    user = User(id="u" * 24, email="d@example.com", username="d", display_name="D", password_hash=None,
                created_at=NOW, updated_at=NOW)
    return SubmitCommand(user=user, challenge_id="c" * 24, video_file=base64.b64encode(b"video").decode(),
                         metadata=SubmissionMetadata())


async def test_a_submission_commits_only_with_its_analysis_job():
    """The submission is not committed on its own: a failure while its analysis is requested (the database gone
    between two commits) would otherwise leave it pending with no job to end it."""
    import pytest

    tx = FakeTx()
    seen = []

    async def analyse(req):
        seen.append((req.submission_id, tx.commits))
        raise ConnectionError("database went away")

    use_case, _ = submit_use_case(analyse, tx)
    with pytest.raises(ConnectionError):
        await use_case(submit_command())
    assert tx.commits == 0 and len(seen) == 1 and seen[0][1] == 0


async def test_an_analysis_that_cannot_start_leaves_the_submission_failed_with_the_reason():
    from domain.errors import InvalidInput

    tx = FakeTx()

    async def analyse(req):
        raise InvalidInput("no such video", field="file_key")

    use_case, submissions = submit_use_case(analyse, tx)
    result = await use_case(submit_command())
    assert result.status is SubmissionStatus.FAILED and tx.commits == 1
    assert submissions.rows[result.id].status is SubmissionStatus.FAILED
    assert "The analysis could not be started: no such video" in (result.analysis_error or "")
