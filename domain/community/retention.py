"""What the cleanup job deletes, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """Challenges that ended more than 90 days ago and never received a submission are deleted;
    submissions whose analysis failed are deleted 30 days after they were submitted. Scored
    submissions, and challenges with any submission, are kept. Blobs of deleted rows go too."""

    empty_challenge_days: int = 90
    failed_submission_days: int = 30

    def challenge_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.empty_challenge_days)

    def failed_submission_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(days=self.failed_submission_days)

    def challenge_expired(self, end_time: datetime, submissions: int, now: datetime) -> bool:
        return submissions == 0 and end_time < self.challenge_cutoff(now)

    def submission_expired(self, failed: bool, submitted_at: datetime, now: datetime) -> bool:
        return failed and submitted_at < self.failed_submission_cutoff(now)
