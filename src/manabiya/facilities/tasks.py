"""Background work of facility reservation (django-tasks; `manabiya db_worker` runs it)."""

from django_tasks import task

from . import notifications, services
from .models import LotteryRound


@task()
def lottery_draw_task(*, lottery_id: int, actor_id: int | None = None) -> int:
    """Draw one month's lottery; returns the number of wishes won.

    Run again after its draw committed (its worker died before it could say so), it returns what the
    draw granted: the draw itself refuses a second draw under the round's lock.
    """
    from manabiya.core.models import User

    lottery = LotteryRound.objects.get(pk=lottery_id)
    if lottery.drawn_at is not None:
        return len(lottery.granted)
    actor = User.objects.get(pk=actor_id) if actor_id else None
    return len(services.lottery_draw(actor=actor, lottery=lottery).granted)


@task()
def send_freed_emails(*, watch_ids: list[int]) -> int:
    """Tell each watcher whose unit came free; the watch is then done. Returns how many were told."""
    return notifications.send_freed(watch_ids=watch_ids)


@task()
def send_lottery_results_task(*, lottery_id: int) -> int:
    return notifications.send_lottery_results(lottery_id=lottery_id)


@task()
def send_booking_email(*, booking_id: int) -> None:
    notifications.send_booking(booking_id=booking_id)


@task()
def send_renewal_emails(*, booker_ids: list[int]) -> int:
    return notifications.send_renewals(booker_ids=booker_ids)


@task()
def send_cancelled_email(*, booking_id: int, reason: str) -> None:
    notifications.send_cancelled(booking_id=booking_id, reason=reason)
