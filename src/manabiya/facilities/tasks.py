"""Background work of facility reservation (django-tasks; `manabiya db_worker` runs it)."""

from django_tasks import task

from . import services
from .models import LotteryRound


@task()
def lottery_draw_task(*, lottery_id: int, actor_id: int | None = None) -> int:
    """Draw one month's lottery; returns the number of wishes won."""
    from manabiya.core.models import User

    actor = User.objects.get(pk=actor_id) if actor_id else None
    return len(services.lottery_draw(actor=actor, lottery=LotteryRound.objects.get(pk=lottery_id)).granted)
