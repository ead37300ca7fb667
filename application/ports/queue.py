"""The job queue port: hand a job to a worker by id; the job's row carries its state."""

from __future__ import annotations

from abc import abstractmethod
from typing import Protocol


class JobQueue(Protocol):
    @abstractmethod
    async def enqueue(self, job_id: str, kind: str) -> None: ...
