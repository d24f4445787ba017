"""Tasks for the lease tests, run by a real `manabiya db_worker` in another process."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def hold_then_finish(*, marker: str, hold_seconds: float) -> int:
    """Record each run; the first run waits (to be killed), a later one finishes at once.

    Returns how many times the task has been run.
    """
    runs = Path(marker + ".runs")
    with runs.open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    count = len(runs.read_text().split())
    if count == 1:
        time.sleep(hold_seconds)
    Path(marker).write_text("done")
    return count
