"""Reading submissions: one, a challenge's, a user's, the public ones."""

from __future__ import annotations

from dataclasses import dataclass

from application.community.ports import (
    ChallengeRepository,
    CommunityReader,
    SubmissionRepository,
)
from application.community.submissions.metadata import visible_submission
from application.community.views import Page, SubmissionView, check_paging
from domain.community.challenge import Challenge
from domain.errors import NotFound
from domain.identity.user import User


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionQueries:
    submissions: SubmissionRepository
    reader: CommunityReader
    challenges: ChallengeRepository

    async def get(self, user: User, submission_id: str) -> SubmissionView:
        await visible_submission(self.submissions, submission_id, user)
        view = await self.reader.submission(submission_id)
        if view is None:
            raise NotFound("Submission not found")
        return view

    async def of_challenge(self, user: User, challenge_id: str, *, public_only: bool, page: int,
                           limit: int) -> tuple[Challenge, Page[SubmissionView]]:
        check_paging(page, limit)
        challenge = await self.challenges.get(challenge_id)
        if challenge is None:
            raise NotFound("Challenge not found")
        found = await self.reader.submissions(challenge_id=challenge_id, user_id=None, viewer_id=user.id,
                                              public_only=public_only, page=page, limit=limit)
        return challenge, found

    async def of_user(self, user: User, user_id: str, page: int, limit: int) -> Page[SubmissionView]:
        check_paging(page, limit)
        return await self.reader.submissions(challenge_id=None, user_id=user_id, viewer_id=user.id,
                                             public_only=user_id != user.id and not user.is_admin,
                                             page=page, limit=limit)
