"""Background work of the catalogue (django-tasks; `manabiya db_worker` runs it)."""

from typing import Any

from django_tasks import task

from . import importing


@task()
def import_events_task(*, job_id: str) -> dict[str, Any]:
    """Import an upload its coordinator confirmed; progress and outcome go to its ImportJob."""
    return importing.import_job_run(job_id=job_id)
