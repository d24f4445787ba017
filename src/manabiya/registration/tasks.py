"""Background work of the applications (django-tasks; `manabiya db_worker` runs it)."""

import logging

from django_tasks import task

from . import notifications, services
from .models import Application, LotteryDraw

logger = logging.getLogger(__name__)


@task()
def send_application_email(*, application_id: int, kind: str, reason: str = "") -> None:
    application = Application.objects.select_related("opportunity").filter(pk=application_id).first()
    if application is not None:
        notifications.send(application=application, kind=kind, reason=reason)


@task()
def send_application_emails(*, messages: list[list], reason: str = "") -> int:
    """Each [application id, kind] in `messages`; returns how many were sent.

    One failed address does not stop the others: it is logged and the rest go out, so a retry of the
    task could not send anyone the same email twice.
    """
    from django.core.mail import get_connection

    applications = Application.objects.select_related("opportunity").in_bulk([pk for pk, _kind in messages])
    sent = 0
    with get_connection() as connection:
        for application_id, kind in messages:
            application = applications.get(application_id)
            if application is None:
                continue
            try:
                notifications.send(application=application, kind=kind, reason=reason, connection=connection)
            except Exception:
                logger.exception("Email %s to application %s failed", kind, application_id)
                continue
            sent += 1
    return sent


@task()
def send_message_task(*, subject: str, body: str, recipients: list[str], municipality_id: int | None = None) -> int:
    notifications.send_message(subject=subject, body=body, recipients=recipients, municipality_id=municipality_id)
    return len(recipients)


@task()
def lottery_draw_task(*, opportunity_id: int, actor_id: int | None = None) -> int:
    """Draw one lottery; returns the number of winners.

    Run again after its draw committed (its worker died before it could say so), it returns the
    recorded draw's winners: the draw itself refuses a second draw under the opportunity's lock.
    """
    from manabiya.catalog.models import LearningOpportunity
    from manabiya.core.models import User

    drawn = LotteryDraw.objects.filter(opportunity_id=opportunity_id).values_list("winners", flat=True).first()
    if drawn is not None:
        return len(drawn)
    opportunity = LearningOpportunity.objects.get(pk=opportunity_id)
    actor = User.objects.get(pk=actor_id) if actor_id else None
    return len(services.lottery_draw(actor=actor, opportunity=opportunity).winners)
