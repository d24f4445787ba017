"""Background tasks hold a lease: a task whose worker is killed is completed by another worker."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from manabiya.core import worker
from manabiya.core.models import TaskLease

from .lease_tasks import hold_then_finish

ROOT = Path(__file__).resolve().parents[2]
MANABIYA = str(Path(sys.executable).parent / "manabiya")


def database_url() -> str:
    """The test database, as the worker process must reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{db['NAME']}"


def start_worker(worker_id: str, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TASK_LEASE_SECONDS": "2",
        "PYTHONPATH": str(ROOT),
        "EMAIL_URL": "locmem:",
    }
    env.pop("TASKS_BACKEND", None)
    return subprocess.Popen(  # noqa: S603 - our own command
        [MANABIYA, "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1", "--worker-id", worker_id,
         *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for(condition, *, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_is_completed_by_another_worker(database_tasks, tmp_path):
    """Worker A takes the task and is killed with SIGKILL mid-task; once A's lease has run out,
    worker B puts the task back in the queue and runs it to the end."""
    marker = str(tmp_path / "task")
    result = hold_then_finish.enqueue(marker=marker, hold_seconds=120)
    runs = Path(marker + ".runs")

    first = start_worker("worker-a")
    try:
        wait_for(runs.exists, what="worker A to start the task")
        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == TaskResultStatus.RUNNING
        assert TaskLease.objects.get(task_id=row.pk).worker_id == "worker-a"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING  # left behind

    second = start_worker("worker-b", "--max-tasks", "1")
    try:
        output, _ = second.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        second.kill()
        output, _ = second.communicate()
        raise AssertionError(f"worker B did not finish the task:\n{output.decode(errors='replace')}") from None

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL, output.decode(errors="replace")
    assert row.worker_ids == ["worker-a", "worker-b"]
    assert row.return_value == 2
    assert Path(marker).read_text() == "done"
    assert len(runs.read_text().split()) == 2
    assert not TaskLease.objects.filter(task_id=row.pk).exists()


def running_task(*, workers: list[str], started_ago: dt.timedelta) -> DBTaskResult:
    result = hold_then_finish.enqueue(marker="/nonexistent", hold_seconds=0)
    row = DBTaskResult.objects.get(pk=result.id)
    row.status = TaskResultStatus.RUNNING
    row.worker_ids = workers
    row.started_at = timezone.now() - started_ago
    row.save()
    return row


@pytest.mark.django_db
def test_a_task_with_a_live_lease_is_left_to_its_worker(database_tasks, settings):
    """Only an expired lease gives a task back: a worker that renews its lease keeps its task."""
    settings.TASK_LEASE_SECONDS = 60
    row = running_task(workers=["alive"], started_ago=dt.timedelta(hours=1))
    worker.lease_take(task_id=row.pk, worker_id="alive")

    assert worker.tasks_reclaim() == []
    assert worker.tasks_reclaim(now=timezone.now() + dt.timedelta(seconds=61)) == [str(row.pk)]
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert not TaskLease.objects.filter(task_id=row.pk).exists()


@pytest.mark.django_db
def test_a_task_claimed_but_never_leased_is_reclaimed_after_a_lease(database_tasks, settings):
    """A worker killed between claiming a task and taking its lease leaves no lease: the task's start
    time stands in for it."""
    settings.TASK_LEASE_SECONDS = 60
    recent = running_task(workers=["a"], started_ago=dt.timedelta(seconds=10))
    old = running_task(workers=["a"], started_ago=dt.timedelta(seconds=61))

    assert worker.tasks_reclaim() == [str(old.pk)]
    recent.refresh_from_db()
    assert recent.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_that_loses_its_worker_three_times_is_failed_not_retried_for_ever(database_tasks, settings):
    """A task that kills its own worker would otherwise take every worker down in turn."""
    settings.TASK_LEASE_SECONDS = 60
    row = running_task(workers=["a", "b", "c"], started_ago=dt.timedelta(minutes=5))

    assert worker.tasks_reclaim() == [str(row.pk)]
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "manabiya.core.worker.WorkerLost"


@pytest.mark.django_db
def test_a_lottery_draw_task_run_again_after_its_draw_committed_returns_the_same_draw(
    make_opportunity, kominkan, provider_member
):
    """The second run of a draw (its first worker died after committing) changes nothing."""
    from manabiya.registration import services as registration_services
    from manabiya.registration.models import LotteryDraw
    from manabiya.registration.tasks import lottery_draw_task

    course = make_opportunity(
        kominkan, provider_member, status="published", capacity=1, application_method="lottery",
        application_closes_at=timezone.now() - dt.timedelta(minutes=1),
    )  # fmt: skip
    record = registration_services.lottery_draw(actor=None, opportunity=course)
    assert lottery_draw_task.call(opportunity_id=course.pk) == len(record.winners)
    assert LotteryDraw.objects.filter(opportunity=course).count() == 1
