"""Emails to applicants, in the language they applied in, each sent by a background task after
the transaction that caused it commits (so a rolled-back application emails no one)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from manabiya.catalog.calendar import opportunity_calendar
from manabiya.core.mail import about

from .models import ApplicationStatus

KIND_FOR_NEW = {
    ApplicationStatus.ENTERED: "received",
    ApplicationStatus.CONFIRMED: "confirmed",
    ApplicationStatus.WAITING: "waiting",
}

SUBJECTS = {
    "received": _("Application received: %(title)s"),
    "confirmed": _("Your place is confirmed: %(title)s"),
    "waiting": _("You are on the waiting list: %(title)s"),
    "won": _("You won a place in the lottery: %(title)s"),
    "lost": _("Lottery result: %(title)s"),
    "moved_up": _("A place has come free for you: %(title)s"),
    "cancelled": _("Your application was cancelled: %(title)s"),
    "opportunity_cancelled": _("Cancelled by the provider: %(title)s"),
    "expired": _("Your place was not confirmed in time: %(title)s"),
    "reminder": _("Reminder: %(title)s starts soon"),
}

LEADS = {
    "received": _(
        "We have received your application. The lottery is drawn after applications close; "
        "we will email you the result."
    ),
    "confirmed": _(
        "Your place is confirmed. Show the QR code on My page, or tell staff your check-in code, when you arrive."
    ),
    "waiting": _(
        "The course is full, so you are on the waiting list. If a place comes free we will confirm you and email you."
    ),
    "won": _(
        "You won a place in the lottery. Please confirm it on My page by the date below, "
        "or the place goes to the next person."
    ),
    "lost": _(
        "Thank you for applying. This time you were not drawn; you are on the waiting list in the drawn order, "
        "and we will email you if a place comes free."
    ),
    "moved_up": _("A place has come free and it is now yours: your application is confirmed."),
    "cancelled": _("Your application has been cancelled."),
    "opportunity_cancelled": _(
        "We are sorry: the provider has cancelled this opportunity, and your application with it."
    ),
    "expired": _("The place you won was not confirmed in time and has gone to the next person."),
    "reminder": _("This is a reminder that your course starts soon."),
}

# Kinds after which the person has a place to put in their calendar.
WITH_CALENDAR = {"confirmed", "won", "moved_up", "reminder"}


def notify(application, kind: str, *, reason: str = "") -> None:
    """Send `kind` about `application` once the current transaction commits."""
    if kind not in SUBJECTS:
        raise ValueError(kind)
    if not application.email:
        return
    from .tasks import send_application_email

    application_id = application.pk
    transaction.on_commit(
        lambda: send_application_email.enqueue(application_id=application_id, kind=kind, reason=reason)
    )


def notify_many(pairs: list[tuple], *, reason: str = "") -> None:
    """Send each (application, kind) once the transaction commits, all by one background task.

    For the writes that tell many people at once (a draw, a cancelled course): one task row instead
    of one per person, and one connection to the mail server for all of them.
    """
    for _application, kind in pairs:
        if kind not in SUBJECTS:
            raise ValueError(kind)
    messages = [[application.pk, kind] for application, kind in pairs if application.email]
    if not messages:
        return
    from .tasks import send_application_emails

    transaction.on_commit(lambda: send_application_emails.enqueue(messages=messages, reason=reason))


def send(*, application, kind: str, reason: str = "", connection=None) -> None:
    opportunity = application.opportunity
    base = settings.SITE_URL.rstrip("/")
    with translation.override(application.language):
        context = {
            "application": application,
            "opportunity": opportunity,
            "sessions": [application.session] if application.session else list(opportunity.sessions.all()),
            "lead": LEADS[kind],
            "kind": kind,
            "reason": reason,
            "mypage_url": base + reverse("registration:mypage"),
            "opportunity_url": base + reverse("catalog:opportunity_detail", args=[opportunity.pk]),
        }
        subject = str(SUBJECTS[kind]) % {"title": opportunity.title}
        body = render_to_string("registration/email/message.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[application.email], connection=connection)
    about(message, municipality_id=opportunity.municipality_id)
    if kind in WITH_CALENDAR:
        calendar = opportunity_calendar(
            opportunity=opportunity,
            url=context["opportunity_url"],
            domain=base.split("://")[-1],
            sessions=context["sessions"],
        )
        message.attach(f"manabiya-{opportunity.pk}.ics", calendar, "text/calendar")
    message.send()


def send_message(*, subject: str, body: str, recipients: list[str], municipality_id: int | None = None) -> None:
    """The provider's own message to its participants: one email each, addresses not shared."""
    from django.core.mail import get_connection

    with get_connection() as connection:
        for address in recipients:
            message = EmailMessage(subject=subject, body=body, to=[address], connection=connection)
            about(message, municipality_id=municipality_id).send()
