"""Jobs: the job repository, queueing and running, and the job table gathered from every context's routes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from dishka import Provider, Scope, collect, provide

from adapters.outages import is_transient
from adapters.sqla.repositories import SqlaJobRepository
from application.jobs.runner import (
    FILE_DIGEST,
    BlobDigestHandler,
    EnqueueJob,
    GetJob,
    JobRoute,
    QueueFileDigest,
    ReconcileJobs,
    ResumeUnfinishedJobs,
    RunJob,
)
from application.ports.persistence import JobRepository, TransactionManager
from application.ports.queue import JobQueue
from application.ports.storage import BlobStore
from application.ports.system import Clock
from entrypoints.settings import Settings


class JobsProvider(Provider):
    scope = Scope.REQUEST

    jobs = provide(SqlaJobRepository, provides=JobRepository)
    enqueue_job = provide(EnqueueJob)
    get_job = provide(GetJob)
    resume_jobs = provide(ResumeUnfinishedJobs)
    queue_file_digest = provide(QueueFileDigest)
    routes = collect(JobRoute)

    @provide
    def digest_route(self, blobs: BlobStore) -> JobRoute:
        return JobRoute(FILE_DIGEST, BlobDigestHandler(blobs=blobs))

    @provide
    def job_table(self, routes: list[JobRoute]) -> Mapping[str, JobRoute]:
        table: dict[str, JobRoute] = {}
        for route in routes:
            if route.kind in table:
                raise ValueError(f"two handlers for job kind {route.kind!r}")
            table[route.kind] = route
        return table

    @provide
    def run_job(self, jobs: JobRepository, tx: TransactionManager, clock: Clock, table: Mapping[str, JobRoute],
                settings: Settings) -> RunJob:
        return RunJob(jobs=jobs, tx=tx, clock=clock, handlers=table, is_transient=is_transient,
                      lease=timedelta(seconds=settings.job_lease_seconds))

    @provide
    def reconcile(self, jobs: JobRepository, queue: JobQueue, tx: TransactionManager, clock: Clock,
                  table: Mapping[str, JobRoute]) -> ReconcileJobs:
        return ReconcileJobs(jobs=jobs, queue=queue, tx=tx, clock=clock, handlers=table)
