"""Likes, comments and shares of a visible submission."""

from __future__ import annotations

from dataclasses import dataclass

from application.community.ports import (
    CommunityReader,
    SocialRepository,
    SubmissionRepository,
)
from application.community.submissions.metadata import visible_submission
from application.community.views import CommentView
from application.ports.persistence import TransactionManager
from application.ports.system import Clock
from domain.community.submission import check_comment
from domain.errors import InvalidInput
from domain.identity.user import User
from domain.ids import new_id


@dataclass(frozen=True, slots=True)
class Reaction:
    submission_id: str
    changed: bool
    likes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class React:
    """Likes (idempotent per user), comments and shares on a submission the caller can see."""

    submissions: SubmissionRepository
    social: SocialRepository
    reader: CommunityReader
    tx: TransactionManager
    clock: Clock

    async def like(self, user: User, submission_id: str) -> Reaction:
        await visible_submission(self.submissions, submission_id, user)
        changed = await self.social.like(submission_id, user.id, self.clock.now())
        await self.tx.commit()
        return Reaction(submission_id, changed, await self.social.likes_count(submission_id))

    async def unlike(self, user: User, submission_id: str) -> Reaction:
        await visible_submission(self.submissions, submission_id, user)
        changed = await self.social.unlike(submission_id, user.id)
        await self.tx.commit()
        return Reaction(submission_id, changed, await self.social.likes_count(submission_id))

    async def comment(self, user: User, submission_id: str, text: str) -> CommentView:
        await visible_submission(self.submissions, submission_id, user)
        now = self.clock.now()
        comment_id = new_id(now.timestamp())
        body = check_comment(text)
        await self.social.comment(comment_id, submission_id, user.id, body, now)
        await self.tx.commit()
        view = await self.reader.submission(submission_id)
        assert view is not None
        return next(c for c in view.comments if c.id == comment_id)

    async def share(self, user: User, submission_id: str) -> int:
        submission = await visible_submission(self.submissions, submission_id, user)
        if not submission.metadata.is_public:
            raise InvalidInput("A private submission cannot be shared.", field="submission_id")
        shares = await self.social.share(submission_id)
        await self.tx.commit()
        return shares
