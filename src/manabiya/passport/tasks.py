"""Background work of the passport (django-tasks; `manabiya db_worker` runs it)."""

from django_tasks import task

from . import notifications
from .models import Award


@task()
def send_award_email(*, award_id: int) -> None:
    award = (
        Award.objects.select_related("recipient", "passport", "level__programme", "certification", "municipality")
        .filter(pk=award_id)
        .first()
    )
    if award is not None:
        notifications.send_award(award)
