"""The login throttle's refusal as 429 with Retry-After (FastAPI's and DRF's throttle shape: ``{"detail"}``).

errors.py maps domain errors centrally; until it knows TooManyAttempts, the identity routes convert it here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from litestar.exceptions import HTTPException

from domain.identity.throttle import TooManyAttempts


@contextmanager
def throttled() -> Iterator[None]:
    try:
        yield
    except TooManyAttempts as exc:
        raise HTTPException(status_code=429, detail=exc.message,
                            headers={"Retry-After": str(exc.retry_after)}) from exc
