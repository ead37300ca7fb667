"""Submissions: submit, presigned upload, metadata, reactions, queries, and the score from the analysis."""

from application.community.submissions.metadata import MetadataUpdate, UpdateSubmissionMetadata, visible_submission
from application.community.submissions.queries import SubmissionQueries
from application.community.submissions.reactions import React, Reaction
from application.community.submissions.results import ApplyAnalysisResult
from application.community.submissions.submit import (
    ALREADY_SUBMITTED,
    SubmitCommand,
    SubmitSession,
    SubmitSessionCommand,
    SubmitToChallenge,
    challenge_video_key,
    start_analysis,
)
from application.community.submissions.uploads import ChallengeUpload, ChallengeUploadCommand, PresignChallengeUpload

__all__ = [
    "ALREADY_SUBMITTED",
    "ApplyAnalysisResult",
    "ChallengeUpload",
    "ChallengeUploadCommand",
    "MetadataUpdate",
    "PresignChallengeUpload",
    "React",
    "Reaction",
    "SubmissionQueries",
    "SubmitCommand",
    "SubmitSession",
    "SubmitSessionCommand",
    "SubmitToChallenge",
    "UpdateSubmissionMetadata",
    "challenge_video_key",
    "start_analysis",
    "visible_submission",
]
