"""Emails of facility reservation, sent by background tasks after the change commits."""

from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manabiya.core.mail import about

from .models import Booker, Booking, HeldUnit, Watch, Wish


def send_freed(*, watch_ids: list[int]) -> int:
    """A watched unit came free: tell the watcher if it is still free, and end the watch."""
    watches = list(Watch.objects.filter(pk__in=watch_ids).select_related("user", "room__facility__venue"))
    base = settings.SITE_URL.rstrip("/")
    sent = 0
    with get_connection() as connection, translation.override(settings.LANGUAGE_CODE):
        for watch in watches:
            # Someone may have booked it again in between: then say nothing.
            if HeldUnit.objects.filter(room=watch.room, date=watch.date, unit=watch.unit).exists():
                continue
            book_path = reverse("facilities:book", args=[watch.room_id])
            context = {
                "watch": watch,
                "unit": watch.room.facility.unit_label(watch.unit),
                "book_url": f"{base}{book_path}?date={watch.date}&unit={watch.unit}",
            }
            subject = _("A time you watched is free: %(room)s") % {"room": watch.room}
            body = render_to_string("facilities/email/freed.txt", context)
            message = EmailMessage(subject=subject, body=body, to=[watch.user.email], connection=connection)
            about(message, municipality_id=watch.room.facility.municipality_id).send()
            sent += 1
    Watch.objects.filter(pk__in=[w.pk for w in watches]).delete()
    return sent


def send_lottery_results(*, lottery_id: int) -> int:
    """Each booker's wishes and what became of them, one email per booker. Returns how many were sent."""
    wishes = (
        Wish.objects.filter(lottery_id=lottery_id)
        .select_related("booker__user", "room__facility__venue", "booking", "lottery__facility")
        .order_by("booker_id", "rank")
    )
    base = settings.SITE_URL.rstrip("/")
    sent = 0
    with get_connection() as connection, translation.override(settings.LANGUAGE_CODE):
        for _booker_id, group in groupby(wishes, key=lambda wish: wish.booker_id):
            own = list(group)
            booker, lottery = own[0].booker, own[0].lottery
            context = {
                "booker": booker,
                "lottery": lottery,
                "wishes": [(wish, wish.room.facility.unit_label(wish.first_unit)) for wish in own],
                "won": any(wish.state == Wish.State.WON for wish in own),
                "mine_url": base + reverse("facilities:mine"),
            }
            subject = _("Lottery results: %(facility)s, %(month)s") % {
                "facility": lottery.facility,
                "month": f"{lottery.month:%Y-%m}",
            }
            body = render_to_string("facilities/email/lottery_results.txt", context)
            message = EmailMessage(subject=subject, body=body, to=[booker.email], connection=connection)
            about(message, municipality_id=lottery.facility.municipality_id).send()
            sent += 1
    return sent


def send_booking(*, booking_id: int) -> None:
    """The booker's receipt: room, day, time slots, fee, state and how to cancel."""
    _send_about_booking(
        booking_id,
        subject=gettext_lazy("Booked: %(room)s, %(date)s"),
        template="facilities/email/booked.txt",
    )


def send_cancelled(*, booking_id: int, reason: str) -> None:
    """The facility cancelled the booking: which one, and why."""
    _send_about_booking(
        booking_id,
        subject=gettext_lazy("Cancelled by the facility: %(room)s, %(date)s"),
        template="facilities/email/cancelled.txt",
        reason=reason,
    )


def _send_about_booking(booking_id: int, *, subject, template: str, **extra) -> None:
    """Email the booker about one booking, in the site's language (`subject` lazy, so it is too)."""
    booking = Booking.objects.select_related("room__facility__venue", "booker").filter(pk=booking_id).first()
    if booking is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "booking": booking,
            "units": ", ".join(booking.unit_labels),
            "mine_url": settings.SITE_URL.rstrip("/") + reverse("facilities:mine"),
            **extra,
        }
        subject = str(subject) % {"room": booking.room, "date": f"{booking.date:%Y-%m-%d}"}
        body = render_to_string(template, context)
    message = EmailMessage(subject=subject, body=body, to=[booking.booker.email])
    about(message, municipality_id=booking.room.facility.municipality_id).send()


def send_renewals(*, booker_ids: list[int]) -> int:
    """Tell each registration it ends with the fiscal year, and where to renew it."""
    bookers = list(Booker.objects.filter(pk__in=booker_ids).select_related("municipality"))
    with get_connection() as connection, translation.override(settings.LANGUAGE_CODE):
        for booker in bookers:
            context = {"booker": booker, "mine_url": settings.SITE_URL.rstrip("/") + reverse("facilities:mine")}
            subject = _("Your facility registration ends on %(date)s") % {"date": f"{booker.valid_until:%Y-%m-%d}"}
            body = render_to_string("facilities/email/renewal.txt", context)
            message = EmailMessage(subject=subject, body=body, to=[booker.email], connection=connection)
            about(message, municipality_id=booker.municipality_id).send()
    return len(bookers)
