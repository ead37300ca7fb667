"""The taskiq task every job goes through; the job's row says what to do."""

from __future__ import annotations

from dishka.integrations.taskiq import FromDishka, inject
from taskiq import AsyncBroker

from adapters.queue.taskiq_queue import RUN_JOB_TASK
from application.jobs.runner import RunJob


def register_tasks(broker: AsyncBroker) -> None:
    @broker.task(task_name=RUN_JOB_TASK)
    @inject(patch_module=True)
    async def run_job(job_id: str, runner: FromDishka[RunJob]) -> str:
        job = await runner(job_id)
        return job.status.value
