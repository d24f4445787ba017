"""Background work of the core: the retries of outgoing email (django-tasks; `manabiya db_worker` runs it)."""

from django_tasks import task

from . import mail


@task()
def deliver_email_task(*, email_id: int) -> int:
    """One more attempt at a message still waiting to be sent; returns 1 if it went."""
    return len(mail.deliver_one(email_id=email_id).sent)
