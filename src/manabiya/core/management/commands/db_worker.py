"""`manabiya db_worker`: django-tasks-db's worker, with leases (`core.worker`).

Same options as django-tasks-db's command. A task whose worker died is run again once its lease
(`TASK_LEASE_SECONDS`, default 120) has expired.
"""

from django_tasks_db.management.commands import db_worker

from ...worker import LeasedWorker


class Command(db_worker.Command):
    help = "Run background tasks; a task whose worker died is taken up again when its lease expires"

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = LeasedWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
