"""The background worker with leases: a task whose worker died is taken up again by another.

django-tasks-db's worker marks a task RUNNING when it claims it and never looks back: a worker killed
mid-task (`kill -9`, a lost machine, the out-of-memory killer) leaves the task RUNNING for ever.
`LeasedWorker` holds a lease (`core.TaskLease`) on the task it runs and renews it from a heartbeat
thread every third of the lease. The same thread puts back in the queue every task still RUNNING
whose lease has run out (or that never got one and started longer than a lease ago), so another
worker — or this one — runs it again. A task that has lost its worker `MAX_ATTEMPTS` times is marked
failed instead, so that a task which itself kills its worker is not retried for ever.

On SQLite a writing transaction holds the whole database: a task whose transaction outlasts a
lease (120 s by default; the imports and draws of a city take seconds) keeps the heartbeat from
renewing it, and another worker may take the task up once that transaction commits. Set
`TASK_LEASE_SECONDS` above the longest transaction there; PostgreSQL has no such limit.

A task may therefore run twice; every task of the project is written to be safe to (emails are sent
once per message, see `core.mail`; draws and imports check their state under a lock).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import TaskLease

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """The workers that ran this task died before it finished, `MAX_ATTEMPTS` times."""


# What `task_status` says of a task the queue has no record of.
TASK_MISSING = "MISSING"
# The statuses of a task that will still run (again).
TASK_ALIVE = frozenset({TaskResultStatus.READY, TaskResultStatus.RUNNING})


def task_status(task: Task, task_id: str | None) -> str | None:
    """What the task queue records of the run `task_id` of `task` (a TaskResultStatus), TASK_MISSING
    when it has no record of it, or None when `task` runs on a backend that keeps none (the immediate
    backend of tests)."""
    if not isinstance(task.get_backend(), DatabaseBackend):
        return None
    if not task_id:
        return TASK_MISSING
    try:
        status = DBTaskResult.objects.filter(pk=task_id).values_list("status", flat=True).first()
    except ValidationError:  # not a task id at all
        status = None
    return status or TASK_MISSING


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "TASK_LEASE_SECONDS", 120))


def lease_take(*, task_id, worker_id: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    TaskLease.objects.update_or_create(
        task_id=task_id, defaults={"worker_id": worker_id, "expires_at": now + lease_length()}
    )


def lease_renew(*, task_id, worker_id: str, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(TaskLease.objects.filter(task_id=task_id, worker_id=worker_id).update(expires_at=now + lease_length()))


def lease_release(*, task_id, worker_id: str) -> None:
    TaskLease.objects.filter(task_id=task_id, worker_id=worker_id).delete()


def _abandoned(now: dt.datetime) -> Q:
    return Q(lease__expires_at__lt=now) | Q(lease__isnull=True, started_at__lt=now - lease_length())


def tasks_reclaim(*, now: dt.datetime | None = None) -> list[str]:
    """Put back in the queue the running tasks whose worker is gone; returns their ids.

    Each is re-read under its row lock (PostgreSQL) or the write lock (SQLite), so two workers
    reclaiming at once act on a task once.
    """
    now = now or timezone.now()
    reclaimed = []
    for task_id in DBTaskResult.objects.running().filter(_abandoned(now)).values_list("id", flat=True)[:100]:
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(_abandoned(now), id=task_id, status=TaskResultStatus.RUNNING)
                .first()
            )
            if task is None:
                continue
            TaskLease.objects.filter(task_id=task.id).delete()
            if len(task.worker_ids) >= MAX_ATTEMPTS:
                task.set_failed(WorkerLost(f"its worker died {len(task.worker_ids)} times ({task.worker_ids})"))
                logger.error("Task %s (%s) lost its worker %d times: failed", task.id, task.task_path, MAX_ATTEMPTS)
            else:
                task.status = TaskResultStatus.READY
                task.save(update_fields=["status"])
                logger.warning("Task %s (%s) lost its worker: queued again", task.id, task.task_path)
            reclaimed.append(str(task.id))
    return reclaimed


class LeasedWorker(Worker):
    """django-tasks-db's worker, holding a lease on the task it runs; see the module's docstring."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._current: str | None = None
        self._current_lock = threading.Lock()
        self._stop = threading.Event()

    def run(self) -> None:
        heartbeat = threading.Thread(target=self._heartbeat, name="task-lease-heartbeat", daemon=True)
        heartbeat.start()
        try:
            super().run()
        finally:
            self._stop.set()
            heartbeat.join(timeout=5)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        lease_take(task_id=db_task_result.id, worker_id=self.worker_id)
        with self._current_lock:
            self._current = db_task_result.id
        try:
            super().run_task(db_task_result)
        finally:
            with self._current_lock:
                self._current = None
            try:
                lease_release(task_id=db_task_result.id, worker_id=self.worker_id)
            except DatabaseError:
                logger.warning("Could not release the lease of task %s; it expires by itself", db_task_result.id)

    def _heartbeat(self) -> None:
        """Renew the running task's lease and reclaim abandoned tasks, every third of a lease."""
        interval = max(lease_length().total_seconds() / 3, 0.2)
        try:
            while True:
                close_old_connections()
                try:
                    with self._current_lock:
                        current = self._current
                    if current is not None and not lease_renew(task_id=current, worker_id=self.worker_id):
                        logger.warning("Task %s: the lease was taken back; another worker may run it too", current)
                    tasks_reclaim()
                except Exception:
                    # A busy database (SQLite's write lock during a long import) or any other fault is
                    # retried next beat: the thread must outlive it, or this worker's lease would lapse.
                    logger.warning("Task lease heartbeat failed; retrying", exc_info=True)
                if self._stop.wait(interval):
                    break
        finally:
            connection.close()
