"""Tells the analysis layer which video a challenge submission was submitted with (and its challenge's demo)."""

from __future__ import annotations

from dataclasses import dataclass

from application.community.ports import ChallengeRepository, SubmissionRepository
from application.ports.analysis_records import SubmittedVideo, SubmittedVideos


@dataclass(frozen=True, slots=True, kw_only=True)
class CommunitySubmittedVideos(SubmittedVideos):
    submissions: SubmissionRepository
    challenges: ChallengeRepository

    async def of(self, submission_id: str) -> SubmittedVideo | None:
        submission = await self.submissions.get(submission_id)
        if submission is None:
            return None
        challenge = await self.challenges.get(submission.challenge_id)
        return SubmittedVideo(
            submission_id=submission.id, owner_id=submission.user_id, video_key=submission.video_key,
            reference_key=None if challenge is None else challenge.demo_video_key,
            challenge_type=None if challenge is None else challenge.type,
        )
