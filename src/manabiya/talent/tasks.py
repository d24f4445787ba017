"""Background work of the talent bank (django-tasks; `manabiya db_worker` runs it)."""

from django_tasks import task

from . import notifications


@task()
def send_talent_email(*, kind: str, pk: int) -> int:
    return notifications.send(kind=kind, pk=pk)
