"""An import whose worker was killed is not lost: the task runs again and imports once, confirming the
stuck job queues it again or says it failed, and `prune-imports` clears out its files.

A killed worker is simulated by hand — the job's state file left saying "running", its task's
record (django-tasks-db's DBTaskResult) set to RUNNING, FAILED or deleted; the worker's own kill -9
test is in tests/core/test_task_lease.py.
"""

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from manabiya.catalog import importing, search_documents
from manabiya.catalog.models import LearningOpportunity
from manabiya.core.models import AuditEntry

from ..racing import race
from .test_eventcsv import event_csv, row
from .test_import import three_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _private_staging(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


@pytest.fixture
def queue_only(settings):
    """Tasks are queued but not run, so a test runs them when it chooses."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


@pytest.fixture
def task_database(settings):
    """Tasks go to the database, as in production; no worker runs them here."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def stage(coordinator, koganei, data: bytes | None = None) -> importing.ImportJob:
    return importing.import_job_stage(
        actor=coordinator, municipality=koganei, data=data or event_csv(three_rows()), filename="events.csv",
        language="en",
    )  # fmt: skip


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the task as the worker does: the job records DONE when the import commits."""

    def _run(job_id: str) -> importing.ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            importing.import_job_run(job_id=job_id)
        return importing.import_job_get(job_id=job_id)

    return _run


def confirmed(coordinator, koganei) -> importing.ImportJob:
    return importing.import_job_confirm(actor=coordinator, job_id=stage(coordinator, koganei).id)


def killed_while_running(job: importing.ImportJob, *, task_status: str | None = None) -> importing.ImportJob:
    """What a worker killed mid-import leaves: the job says running, its task says `task_status`
    (None: its record is gone)."""
    job = importing.import_job_get(job_id=job.id)
    job.state, job.done, job.total = importing.JobState.RUNNING, 1, 3
    importing._job_save(job)
    tasks = DBTaskResult.objects.filter(pk=job.task_id)
    if task_status is None:
        tasks.delete()
    else:
        tasks.update(status=task_status)
    return job


def claimed_upload(job) -> bool:
    return (importing.staging_dir() / f"{job.id}.confirmed.csv").exists()


class WorkerKilled(BaseException):
    """Stands for kill -9: no `except Exception` catches it, so the job is left as it stood."""


def imports_logged() -> int:
    return AuditEntry.objects.filter(action="events.import").count()


# --- the task runs again, and imports once ---------------------------------------------------------


def test_a_run_killed_half_way_committed_nothing_and_the_next_run_imports(
    koganei, coordinator, queue_only, monkeypatch, run
):
    job = confirmed(coordinator, koganei)
    reindex = search_documents.reindex

    def killed(*args, **kwargs):
        assert LearningOpportunity.objects.count() == 3  # written, in the transaction still open
        raise WorkerKilled

    monkeypatch.setattr(search_documents, "reindex", killed)
    with pytest.raises(WorkerKilled):
        importing.import_job_run(job_id=job.id)
    assert LearningOpportunity.objects.count() == 0 and imports_logged() == 0
    stuck = importing.import_job_get(job_id=job.id)
    assert stuck.state == importing.JobState.RUNNING and claimed_upload(stuck)  # the upload waits for the next run

    monkeypatch.setattr(search_documents, "reindex", reindex)
    done = run(job.id)
    assert (done.state, done.created) == (importing.JobState.DONE, 3)
    assert LearningOpportunity.objects.count() == 3 and imports_logged() == 1
    assert not claimed_upload(done)


def test_a_run_again_after_the_import_committed_records_it_and_imports_nothing(koganei, coordinator, queue_only, run):
    """The worker committed the import and was killed before it wrote "done": the next run finds the
    import's audit entry, under the municipality's lock, and records its outcome."""
    job = confirmed(coordinator, koganei)
    data = (importing.staging_dir() / f"{job.id}.confirmed.csv").read_bytes()
    importing.events_import(actor=coordinator, data=data, municipality_code=koganei.code, job_id=job.id)
    killed_job = importing.import_job_get(job_id=job.id)
    killed_job.state = importing.JobState.RUNNING
    importing._job_save(killed_job)

    done = run(job.id)
    assert (done.state, done.created, done.updated) == (importing.JobState.DONE, 3, 0)
    assert LearningOpportunity.objects.count() == 3 and imports_logged() == 1
    assert not claimed_upload(done)


def test_a_task_run_twice_in_turn_imports_once(koganei, coordinator, queue_only, run):
    job = confirmed(coordinator, koganei)
    assert run(job.id).state == importing.JobState.DONE
    assert importing.import_job_run(job_id=job.id) == {"state": importing.JobState.DONE}
    assert LearningOpportunity.objects.count() == 3 and imports_logged() == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_run_twice_at_once_imports_once(koganei, coordinator, queue_only):
    """A lease that ran out while its worker still ran: two workers run the same import together."""
    for number in range(3):
        job = importing.import_job_confirm(
            actor=coordinator, job_id=stage(coordinator, koganei, event_csv([row(NO=f"R{number}")])).id
        )
        outcomes = race(
            lambda j=job: importing.import_job_run(job_id=j.id), lambda j=job: importing.import_job_run(job_id=j.id)
        )
        assert all(isinstance(o, dict) for o in outcomes), outcomes
        done = importing.import_job_get(job_id=job.id)
        assert (done.state, done.created) == (importing.JobState.DONE, 1), done
    assert LearningOpportunity.objects.count() == 3 and imports_logged() == 3


# --- confirming a stuck job -------------------------------------------------------------------------


def test_the_job_keeps_the_id_of_its_task(koganei, coordinator, task_database):
    job = confirmed(coordinator, koganei)
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert job.state == importing.JobState.QUEUED and task.status == "READY"
    assert task.args_kwargs["kwargs"] == {"job_id": job.id}


def test_confirming_a_job_whose_task_is_still_running_gives_it_back(koganei, coordinator, task_database):
    job = killed_while_running(confirmed(coordinator, koganei), task_status="RUNNING")
    again = importing.import_job_confirm(actor=coordinator, job_id=job.id)
    assert again.state == importing.JobState.RUNNING and DBTaskResult.objects.count() == 1


def test_confirming_a_job_whose_task_failed_says_so_instead_of_giving_back_the_stuck_job(
    koganei, coordinator, task_database
):
    """The task was given up (its workers were lost again and again): the job ends "not imported",
    saying why, and the upload is deleted; nothing was imported."""
    job = killed_while_running(confirmed(coordinator, koganei), task_status="FAILED")
    again = importing.import_job_confirm(actor=coordinator, job_id=job.id)
    assert again.state == importing.JobState.FAILED and again.done == 0
    assert again.message == (
        "The import stopped: the background worker running it was lost, and nothing was saved. Upload the file again."
    )
    assert importing.import_job_get(job_id=job.id).state == importing.JobState.FAILED
    assert not claimed_upload(job) and LearningOpportunity.objects.count() == 0


def test_confirming_a_job_whose_task_is_gone_queues_it_again(koganei, coordinator, task_database, run):
    job = killed_while_running(confirmed(coordinator, koganei), task_status=None)
    again = importing.import_job_confirm(actor=coordinator, job_id=job.id)
    assert again.state == importing.JobState.QUEUED and again.task_id and again.task_id != job.task_id
    assert DBTaskResult.objects.get(pk=again.task_id).status == "READY"
    assert run(job.id).state == importing.JobState.DONE  # what the worker does with it
    assert LearningOpportunity.objects.count() == 3


def test_confirming_a_stuck_job_whose_import_committed_records_it_done(koganei, coordinator, task_database):
    job = confirmed(coordinator, koganei)
    data = (importing.staging_dir() / f"{job.id}.confirmed.csv").read_bytes()
    importing.events_import(actor=coordinator, data=data, municipality_code=koganei.code, job_id=job.id)
    killed_while_running(job, task_status="FAILED")
    again = importing.import_job_confirm(actor=coordinator, job_id=job.id)
    assert (again.state, again.created) == (importing.JobState.DONE, 3)
    assert LearningOpportunity.objects.count() == 3 and imports_logged() == 1


# --- prune-imports --------------------------------------------------------------------------------


def age(job_id: str, days: float) -> None:
    moment = dt.datetime.now(tz=dt.UTC).timestamp() - days * 86400
    for path in importing.staging_dir().glob(f"{job_id}*"):
        os.utime(path, (moment, moment))


def job_files(job) -> list[str]:
    return sorted(p.name for p in importing.staging_dir().glob(f"{job.id}*"))


def test_prune_imports_deletes_old_stuck_jobs_and_keeps_live_and_recent_ones(koganei, coordinator, task_database):
    failed = killed_while_running(confirmed(coordinator, koganei), task_status="FAILED")
    gone = killed_while_running(confirmed(coordinator, koganei), task_status=None)
    finished = killed_while_running(confirmed(coordinator, koganei), task_status="SUCCESSFUL")
    running = killed_while_running(confirmed(coordinator, koganei), task_status="RUNNING")
    queued = confirmed(coordinator, koganei)  # waiting for a worker these three days
    recent = killed_while_running(confirmed(coordinator, koganei), task_status="FAILED")
    for job in (failed, gone, finished, running, queued):
        age(job.id, 3)
    assert job_files(failed) == [f"{failed.id}.confirmed.csv", f"{failed.id}.json", f"{failed.id}.task"]

    out = io.StringIO()
    call_command("prune_imports", stdout=out)
    assert out.getvalue().splitlines() == [
        "Unconfirmed uploads deleted: 0. Finished imports deleted: 0.",
        "Imports whose background task was lost, deleted: 3.",
    ]
    for job in (failed, gone, finished):
        assert job_files(job) == [], job
    for job in (running, queued, recent):
        assert job_files(job), job
    assert importing.import_job_get(job_id=running.id).state == importing.JobState.RUNNING
    assert LearningOpportunity.objects.count() == 0


def test_the_status_page_of_a_job_whose_task_failed_says_it_stopped(koganei, coordinator, task_database, client):
    """The coordinator watching the import's page learns it stopped, without confirming again."""
    from django.urls import reverse

    job = killed_while_running(confirmed(coordinator, koganei), task_status="FAILED")
    client.force_login(coordinator)
    page = client.get(reverse("catalog:import_status", args=[job.id])).content.decode()
    assert "the background worker running it was lost" in page
    assert importing.import_job_get(job_id=job.id).state == importing.JobState.FAILED
