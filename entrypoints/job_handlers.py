from __future__ import annotations

from application.jobs.runner import JobHandler


class ExtraJobHandlers(dict[str, JobHandler]):
    """Job handlers contributed by feature providers, merged into the runner's table."""
