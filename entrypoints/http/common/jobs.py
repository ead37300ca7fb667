from __future__ import annotations

from typing import Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Router, get, post

from application.jobs.runner import GetJob, QueueFileDigest
from domain.jobs.job import Job
from entrypoints.http.auth import Caller
from entrypoints.http.common.schemas import iso


class JobOut(msgspec.Struct):
    job_id: str
    kind: str
    status: str
    progress: float
    error: str | None
    result: dict[str, Any] | None
    created_at: str | None
    started_at: str | None
    completed_at: str | None
    estimated_completion: str | None


def job_out(job: Job) -> JobOut:
    return JobOut(job_id=job.id, kind=job.kind, status=job.status.value, progress=round(job.progress, 3),
                  error=job.error, result=job.result, created_at=iso(job.created_at),
                  started_at=iso(job.started_at), completed_at=iso(job.finished_at),
                  estimated_completion=iso(job.estimated_completion()))


@get("/{job_id:str}")
@inject
async def get_job(job_id: str, caller: FromDishka[Caller], use_case: FromDishka[GetJob]) -> JobOut:
    return job_out(await use_case(job_id, caller.user))


class DigestBody(msgspec.Struct):
    file_key: str


class QueuedOut(msgspec.Struct):
    job_id: str
    status: str


@post("/file-digest", status_code=202)
@inject
async def file_digest(data: DigestBody, caller: FromDishka[Caller],
                      use_case: FromDishka[QueueFileDigest]) -> QueuedOut:
    """Queue an integrity check (size and SHA-256) of one of the caller's files."""
    job = await use_case(data.file_key, caller.user)
    return QueuedOut(job_id=job.id, status=job.status.value)


router = Router(path="/api/background/jobs", route_handlers=[get_job, file_digest], tags=["Background jobs"])
