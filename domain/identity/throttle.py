"""Back-off for password guessing: a few free attempts, then a wait that doubles with each further one.

OWASP's Authentication and Credential Stuffing cheat sheets recommend throttling per account and per source
address, with an exponentially growing delay rather than a permanent lock-out (which would let anyone lock a
victim out). A key's record is its count of counted attempts and the time of the last; the record is forgotten
``forget_after`` seconds after its last attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DomainError


class TooManyAttempts(DomainError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many attempts. Try again in {retry_after} seconds.")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    count: int
    last_at: float  # seconds since the epoch


@dataclass(frozen=True, slots=True, kw_only=True)
class BackOff:
    free: int  # attempts allowed before any wait
    base_seconds: float  # the first wait; each further attempt doubles it
    max_seconds: float
    forget_after: float  # a record idle this long is dropped

    def delay(self, count: int) -> float:
        """The wait owed after ``count`` counted attempts."""
        if count < self.free:
            return 0.0
        return float(min(self.max_seconds, self.base_seconds * 2.0 ** min(count - self.free, 32)))

    def wait(self, record: AttemptRecord | None, now: float) -> int:
        """Whole seconds until the next attempt is allowed (0: now)."""
        if record is None or now - record.last_at >= self.forget_after:
            return 0
        remaining = record.last_at + self.delay(record.count) - now
        return max(0, int(-(-remaining // 1)))  # ceiling


@dataclass(frozen=True, slots=True, kw_only=True)
class ThrottleRules:
    """Defaults: 5 wrong passwords per account and 20 per address before a 1 s wait that doubles up to 15 min;
    20 sign-ups per address in an hour, then a wait of a minute doubling up to an hour."""

    account: BackOff = BackOff(free=5, base_seconds=1, max_seconds=900, forget_after=3600)
    address: BackOff = BackOff(free=20, base_seconds=1, max_seconds=900, forget_after=3600)
    register: BackOff = BackOff(free=20, base_seconds=60, max_seconds=3600, forget_after=3600)
