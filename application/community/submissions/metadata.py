"""A submission's caption, tags and visibility, changed by its owner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.community.ports import (
    SubmissionRepository,
)
from application.ports.persistence import TransactionManager
from application.ports.system import Clock
from domain.community.submission import Submission, SubmissionMetadata
from domain.errors import NotFound
from domain.identity.user import User


async def visible_submission(submissions: SubmissionRepository, submission_id: str, user: User) -> Submission:
    """A private submission is 'not found' to everyone but its owner (and admins)."""
    submission = await submissions.get(submission_id)
    if submission is None or (not submission.metadata.is_public and submission.user_id != user.id
                              and not user.is_admin):
        raise NotFound("Submission not found")
    return submission


@dataclass(frozen=True, slots=True, kw_only=True)
class MetadataUpdate:
    user: User
    submission_id: str
    caption: str | None = None
    tags: tuple[str, ...] | None = None
    location: str | None = None
    is_public: bool | None = None
    shared_to_feed: bool | None = None
    highlight_text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateSubmissionMetadata:
    submissions: SubmissionRepository
    tx: TransactionManager
    clock: Clock
    changed: Callable[[str], None] | None = None  # e.g. drop cached leaderboard pages of the challenge

    async def __call__(self, cmd: MetadataUpdate) -> Submission:
        submission = await visible_submission(self.submissions, cmd.submission_id, cmd.user)
        submission.check_owner(cmd.user.id)
        m = submission.metadata
        metadata = SubmissionMetadata(
            caption=m.caption if cmd.caption is None else cmd.caption,
            tags=m.tags if cmd.tags is None else cmd.tags,
            location=m.location if cmd.location is None else cmd.location,
            is_public=m.is_public if cmd.is_public is None else cmd.is_public,
            shared_to_feed=m.shared_to_feed if cmd.shared_to_feed is None else cmd.shared_to_feed,
            highlight_text=m.highlight_text if cmd.highlight_text is None else cmd.highlight_text,
        )
        updated = submission.with_metadata(metadata, self.clock.now())
        await self.submissions.save(updated)
        await self.tx.commit()
        if self.changed is not None:
            self.changed(updated.challenge_id)
        return updated
