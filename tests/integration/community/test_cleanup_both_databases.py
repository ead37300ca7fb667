"""Retention through real SQL on SQLite and PostgreSQL: an old challenge with a submission survives cleanup, an
old empty one goes (the rule lives in the domain; the query only counts submissions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.sqla.community.repositories import SqlaChallengeRepository, SqlaSubmissionRepository
from adapters.sqla.repositories import SqlaUserRepository
from domain.community.challenge import Challenge
from domain.community.retention import RetentionPolicy
from domain.community.submission import Submission
from domain.identity.user import User
from domain.ids import new_id


async def test_an_old_challenge_with_a_submission_survives_and_an_empty_one_goes(session):
    now = datetime.now(UTC).replace(microsecond=0)
    old = now - timedelta(days=120)
    dancer = User(id=new_id(), email="c@example.com", username="c", display_name="C", password_hash="h",
                  created_at=now, updated_at=now)
    await SqlaUserRepository(session).add(dancer)
    challenges = SqlaChallengeRepository(session)
    kept = Challenge(id=new_id(), title="Kept", start_time=old, end_time=old + timedelta(days=1), created_at=old,
                     updated_at=old)
    empty = Challenge(id=new_id(), title="Empty", start_time=old, end_time=old + timedelta(days=1), created_at=old,
                      updated_at=old)
    recent = Challenge(id=new_id(), title="Recent", start_time=now - timedelta(days=10),
                       end_time=now - timedelta(days=9), created_at=now, updated_at=now)
    for c in (kept, empty, recent):
        await challenges.add(c)
    await SqlaSubmissionRepository(session).add(Submission(
        id=new_id(), challenge_id=kept.id, user_id=dancer.id, video_key=f"challenges/{dancer.id}/{kept.id}/v.mp4",
        submitted_at=old, updated_at=old))
    await session.commit()
    policy = RetentionPolicy()
    ended = await challenges.ended_before(policy.challenge_cutoff(now))
    counts = {c.id: n for c, n in ended}
    assert counts == {kept.id: 1, empty.id: 0}
    expired = [c.id for c, n in ended if policy.challenge_expired(c.end_time, n, now)]
    assert expired == [empty.id]


async def test_challenge_stats_count_private_entries_but_never_reveal_their_scores(session):
    from dataclasses import replace

    from adapters.sqla.community.reader import SqlaCommunityReader
    from domain.community.challenge import BadgeRule
    from domain.community.submission import SubmissionMetadata

    now = datetime.now(UTC).replace(microsecond=0)
    repo_users, challenges, submissions = (SqlaUserRepository(session), SqlaChallengeRepository(session),
                                           SqlaSubmissionRepository(session))
    challenge = Challenge(id=new_id(), title="Stats", start_time=now - timedelta(days=1),
                          end_time=now + timedelta(days=1), created_at=now, updated_at=now)
    await challenges.add(challenge)
    for name, score, public in (("pub", 50.0, True), ("priv", 90.0, False)):
        user = User(id=new_id(), email=f"{name}@example.com", username=name, display_name=name, password_hash="h",
                    created_at=now, updated_at=now)
        await repo_users.add(user)
        entry = Submission(id=new_id(), challenge_id=challenge.id, user_id=user.id,
                           video_key=f"challenges/{user.id}/{challenge.id}/v.mp4", submitted_at=now, updated_at=now,
                           metadata=SubmissionMetadata(is_public=public))
        await submissions.add(replace(entry.analysed(
            total_score=score, breakdown={"balance": 10, "rhythm": 10, "smoothness": 10, "creativity": 10},
            feedback=None, confidence=0.9, pose_data_key=None, rule=BadgeRule(), finished_at=now)))
    await session.commit()
    stats = await SqlaCommunityReader(session).challenge_stats(challenge.id)
    assert stats.total_submissions == 2 and stats.analysed_submissions == 2
    assert stats.top_score == 50.0 and stats.average_score == 50.0 and sum(stats.distribution.values()) == 1
