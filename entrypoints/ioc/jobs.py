"""Jobs: the job repository, queueing and running, and the job table gathered from every context's routes."""

from __future__ import annotations

from collections.abc import Mapping

from dishka import Provider, Scope, collect, provide

from adapters.sqla.repositories import SqlaJobRepository
from application.jobs.runner import (
    FILE_DIGEST,
    BlobDigestHandler,
    EnqueueJob,
    GetJob,
    JobHandler,
    JobRoute,
    QueueFileDigest,
    ResumeUnfinishedJobs,
    RunJob,
)
from application.ports.persistence import JobRepository
from application.ports.storage import BlobStore


class JobsProvider(Provider):
    scope = Scope.REQUEST

    jobs = provide(SqlaJobRepository, provides=JobRepository)
    enqueue_job = provide(EnqueueJob)
    get_job = provide(GetJob)
    resume_jobs = provide(ResumeUnfinishedJobs)
    run_job = provide(RunJob)
    queue_file_digest = provide(QueueFileDigest)
    routes = collect(JobRoute)

    @provide
    def digest_route(self, blobs: BlobStore) -> JobRoute:
        return JobRoute(FILE_DIGEST, BlobDigestHandler(blobs=blobs))

    @provide
    def job_table(self, routes: list[JobRoute]) -> Mapping[str, JobHandler]:
        table: dict[str, JobHandler] = {}
        for route in routes:
            if route.kind in table:
                raise ValueError(f"two handlers for job kind {route.kind!r}")
            table[route.kind] = route.handler
        return table
