"""Background work of the applications (django-tasks; `manabiya db_worker` runs it)."""

from django_tasks import task

from . import notifications, services
from .models import Application


@task()
def send_application_email(*, application_id: int, kind: str, reason: str = "") -> None:
    application = Application.objects.select_related("opportunity").filter(pk=application_id).first()
    if application is not None:
        notifications.send(application=application, kind=kind, reason=reason)


@task()
def send_message_task(*, subject: str, body: str, recipients: list[str]) -> int:
    notifications.send_message(subject=subject, body=body, recipients=recipients)
    return len(recipients)


@task()
def lottery_draw_task(*, opportunity_id: int, actor_id: int | None = None) -> int:
    """Draw one lottery; returns the number of winners."""
    from manabiya.catalog.models import LearningOpportunity
    from manabiya.core.models import User

    opportunity = LearningOpportunity.objects.get(pk=opportunity_id)
    actor = User.objects.get(pk=actor_id) if actor_id else None
    return len(services.lottery_draw(actor=actor, opportunity=opportunity).winners)
