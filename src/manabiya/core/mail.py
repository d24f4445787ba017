"""Outgoing email that is never lost: every message is stored, sent, and retried until it goes.

`EMAIL_BACKEND` is `OutboxBackend`, so every email the product sends — the apps' notices and
allauth's account emails alike — passes through here without its sender knowing:

1. the message is stored as an `OutgoingEmail` (pending);
2. it is handed at once to the real backend (`EMAIL_DELIVERY_BACKEND`, from `EMAIL_URL`);
3. if that fails for a reason that may pass (the mail server is down, busy, or refuses for now), the
   message is tried again with back-off — 1, 2, 5, 10, 20, 30 minutes, then 1, 2, 4 and 6 hours —
   until a day has passed since it was queued (`EMAIL_RETRY_HOURS`); the last try is at that moment.
   A permanent refusal (an SMTP 5xx answer) fails at once. Each retry is a background task deferred to
   its time; `manabiya requeue-emails --due` sends whatever is due, for queues that cannot defer.
4. a message that still fails is marked failed: staff see it on their home page and resend it, and
   `manabiya requeue-emails` puts failed ones back in the queue.

A background task that runs twice (its worker died and another took it up) queues each of its
messages once: a message's `key` is the task's id and its place among the task's messages, so the
second run finds the first run's messages and sends only those not yet sent.

A sent message keeps its envelope (recipients, subject) for the record; its content is erased, so
the database does not keep what was only meant for the reader (password-reset links among others).
"""

from __future__ import annotations

import base64
import contextvars
import datetime as dt
import hashlib
import json
import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .audit import log_action
from .errors import PermissionDenied
from .models import OutgoingEmail
from .selectors import coordinated_municipalities

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status

# Minutes to wait after the 1st, 2nd, … failed attempt; the last figure repeats.
BACKOFF_MINUTES = (1, 2, 5, 10, 20, 30, 60, 120, 240, 360)
# How long one attempt may hold a message before another may try it (a worker that died mid-send).
CLAIM = dt.timedelta(minutes=5)
# A message tells which municipality it concerns through this attribute, so that its coordinators
# see it if it fails. `about(message, municipality_id=…)` sets it.
MUNICIPALITY_ATTRIBUTE = "manabiya_municipality_id"


def retry_window() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "EMAIL_RETRY_HOURS", 24))


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt (1-based)."""
    return dt.timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def about(message, *, municipality_id: int | None):
    """Mark `message` as concerning a municipality; returns the message."""
    setattr(message, MUNICIPALITY_ATTRIBUTE, municipality_id)
    return message


# --- which task is sending ------------------------------------------------------------------------


_task_runs: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("manabiya_task_runs", default=())


def on_task_started(sender, task_result, **kwargs) -> None:
    """A background task begins (django-tasks' `task_started`): key the messages it sends by its id."""
    _task_runs.set((*_task_runs.get(), str(task_result.id)))


def on_task_finished(sender, task_result, **kwargs) -> None:
    runs = _task_runs.get()
    if runs and runs[-1] == str(task_result.id):
        _task_runs.set(runs[:-1])


def _key(data: dict) -> str | None:
    """The message's key within the running task: the task's id and a digest of what the message
    says to whom, so that a second run finds the first run's copy whatever order it sends in."""
    runs = _task_runs.get()
    if not runs:
        return None
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:40]
    return f"task:{runs[-1]}:{digest}"


# --- storing messages -----------------------------------------------------------------------------


def _content(value: str | bytes) -> dict:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return {"text": value}


def _from_content(value: dict) -> str | bytes:
    return base64.b64decode(value["base64"]) if "base64" in value else value["text"]


def serialize(message) -> dict:
    """A message as JSON: what `deserialize` needs to send it again."""
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):  # a MIMEBase part: keep its bytes as the mail will carry them
            attachment = (attachment.get_filename(), attachment.get_payload(decode=True), attachment.get_content_type())
        filename, content, mimetype = attachment
        attachments.append({"filename": filename, "content": _content(content), "mimetype": mimetype})
    return {
        "from": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "subject": str(message.subject),
        "body": str(message.body),
        "content_subtype": message.content_subtype,
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "alternatives": [
            {"content": _content(content), "mimetype": mimetype}
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def deserialize(data: dict, *, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        connection=connection,
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for alternative in data["alternatives"]:
        message.attach_alternative(_from_content(alternative["content"]), alternative["mimetype"])
    for attachment in data["attachments"]:
        message.attach(attachment["filename"], _from_content(attachment["content"]), attachment["mimetype"])
    return message


def store(messages: Iterable) -> list[OutgoingEmail]:
    """Queue `messages` (pending); a message that a run of the same task queued before is returned as
    it stands (sent, failed or pending), not queued twice — even when both runs store it at once."""
    now = timezone.now()
    rows = []
    for message in messages:
        data = serialize(message)
        rows.append(
            OutgoingEmail(
                key=_key(data),
                municipality_id=getattr(message, MUNICIPALITY_ATTRIBUTE, None),
                subject=data["subject"][:1000],
                recipients=[*data["to"], *data["cc"], *data["bcc"]],
                message=data,
                give_up_at=now + retry_window(),
                next_attempt_at=now,
            )
        )
    if rows[0].key is None:  # not sent by a task: nothing to find again
        return OutgoingEmail.objects.bulk_create(rows)
    OutgoingEmail.objects.bulk_create(rows, ignore_conflicts=True)
    stored = OutgoingEmail.objects.in_bulk([row.key for row in rows], field_name="key")
    return [stored[row.key] for row in rows]


# --- delivering -----------------------------------------------------------------------------------


def delivery_connection(**kwargs):
    """A connection to the real mail backend."""
    return get_connection(settings.EMAIL_DELIVERY_BACKEND, **kwargs)


# Answers about one message (its recipients, its content), as opposed to the server or the session.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


def _is_permanent(error: BaseException) -> bool:
    """A 5xx answer about this message (every recipient refused, the content refused): it will never go.

    A 5xx about the session — authentication failed (a password changed), the sender refused, the
    greeting refused — is the server's problem, and retried like a server that is down.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _claim(pk: int, now: dt.datetime) -> bool:
    """Take the message for one attempt; False if it is sent, failed, not due yet (another attempt
    has rescheduled it, with a retry of its own), or another attempt holds it."""
    return bool(
        OutgoingEmail.objects.filter(pk=pk, status=Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM, attempts=F("attempts") + 1)
    )


@dataclass
class Outcome:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def deliver(
    emails: Sequence[OutgoingEmail], *, connection=None, keep_open: bool = False, now: dt.datetime | None = None
) -> Outcome:
    """Try to send each pending message once, now; reschedule or fail those that do not go.

    Safe to call twice for one message, even at the same time: each attempt first claims the message.
    After a failure to reach the mail server, the rest of the batch is not tried now but scheduled.
    The connection is opened at the first message and closed at the end unless `keep_open`.
    """
    now = now or timezone.now()
    outcome = Outcome()
    connection = connection or delivery_connection(fail_silently=False)
    opened = False
    server_down: BaseException | None = None
    try:
        for email in emails:
            if not _claim(email.pk, now):
                continue
            email.refresh_from_db()
            error = server_down
            if error is None:
                try:
                    if not opened:
                        connection.open()
                        opened = True
                    if not connection.send_messages([deserialize(email.message, connection=connection)]):
                        raise smtplib.SMTPException("the mail backend sent nothing")
                except Exception as exc:
                    error = exc
                    if not isinstance(exc, MESSAGE_ERRORS):
                        server_down = exc  # the server or the session failed: do not try the others now
            if error is None:
                _mark_sent(email, now)
                outcome.sent.append(email.pk)
            elif _mark_failed_attempt(email, error, now):
                outcome.retrying.append(email.pk)
            else:
                outcome.failed.append(email.pk)
    finally:
        if opened and not keep_open:
            _close(connection)
    return outcome


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # closing a connection that broke: nothing more to do
        logger.debug("closing the mail connection failed", exc_info=True)


def _mark_sent(email: OutgoingEmail, now: dt.datetime) -> None:
    envelope = {k: email.message[k] for k in ("from", "to", "cc", "bcc", "reply_to", "subject")}
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENT, sent_at=now, claimed_until=None, next_attempt_at=None, last_error="", message=envelope
    )


def _mark_failed_attempt(email: OutgoingEmail, error: BaseException, now: dt.datetime) -> bool:
    """Record the failure; True if the message will be tried again, False if it is now failed."""
    text = f"{type(error).__name__}: {error}"[:2000]
    refused = _is_permanent(error)
    if refused or now >= email.give_up_at:
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=Status.FAILED, claimed_until=None, next_attempt_at=None, last_error=text, refused=refused
        )
        logger.error("Email %s to %s failed for good: %s", email.pk, email.recipients, text)
        return False
    retry_at = min(now + backoff(email.attempts), email.give_up_at)
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_until=None, next_attempt_at=retry_at, last_error=text)
    logger.warning("Email %s to %s failed, retrying at %s: %s", email.pk, email.recipients, retry_at, text)
    _schedule(email.pk, retry_at)
    return True


def _schedule(pk: int, at: dt.datetime) -> None:
    """Enqueue the next attempt for `at`, once the current transaction commits.

    A queue that cannot defer a task (the immediate backend of development and tests) is skipped:
    `deliver_due` (`manabiya requeue-emails --due`) sends what is due there.
    """

    def enqueue() -> None:
        if deliver_email_task.get_backend().supports_defer:
            deliver_email_task.using(run_after=at).enqueue(email_id=pk)

    transaction.on_commit(enqueue)


@task()
def deliver_email_task(*, email_id: int) -> int:
    """One more attempt at a message still waiting to be sent; returns 1 if it went."""
    email = OutgoingEmail.objects.filter(pk=email_id, status=Status.PENDING).first()
    return len(deliver([email]).sent) if email else 0


def deliver_due(*, now: dt.datetime | None = None, limit: int = 1000) -> Outcome:
    """Attempt every pending message whose next attempt is due."""
    now = now or timezone.now()
    due = list(
        OutgoingEmail.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at")[
            :limit
        ]
    )
    return deliver(due, now=now)


# --- staff: failed messages, and sending them again -------------------------------------------------


def failed_for(*, user) -> QuerySet[OutgoingEmail]:
    """Failed messages the user may see: a coordinator those of their municipalities, a superuser all."""
    failed = OutgoingEmail.objects.filter(status=Status.FAILED).select_related("municipality")
    if getattr(user, "is_superuser", False):
        return failed
    return failed.filter(municipality__in=coordinated_municipalities(user=user))


def requeue(emails: Iterable[OutgoingEmail], *, now: dt.datetime | None = None) -> list[int]:
    """Put failed messages back in the queue, for another day of attempts starting now; returns their ids."""
    now = now or timezone.now()
    ids = [email.pk for email in emails]
    OutgoingEmail.objects.filter(pk__in=ids, status=Status.FAILED).update(
        status=Status.PENDING, next_attempt_at=now, give_up_at=now + retry_window(), claimed_until=None, refused=False
    )
    return ids


def email_resend(*, actor, email_id: int) -> Outcome:
    """A coordinator sends a failed message again: one attempt now, then the usual retries."""
    email = failed_for(user=actor).filter(pk=email_id).first()
    if email is None:
        raise PermissionDenied(_("Only a coordinator of the email's municipality can send it again."))
    with transaction.atomic():
        requeue([email])
        log_action(actor=actor, action="email.resend", target=email, municipality=email.municipality)
    email.refresh_from_db()
    return deliver([email])


# --- the backend --------------------------------------------------------------------------------


class OutboxBackend(BaseEmailBackend):
    """Store every message, then send it through the real backend; see the module's docstring.

    Sending never raises for a mail server that is down: the message waits for its next attempt. Used as
    a context manager (`with get_connection() as connection:`), one connection to the mail server
    serves every message of the block.
    """

    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        super().__init__(fail_silently=fail_silently)
        self._delivery = delivery_connection(fail_silently=False, **kwargs)
        self._in_block = False

    def open(self) -> bool:
        # Connect when the first message goes: an unreachable server is a failed attempt, not an error.
        self._in_block = True
        return False

    def close(self) -> None:
        if self._in_block:
            self._in_block = False
            _close(self._delivery)

    def send_messages(self, email_messages) -> int:
        messages = list(email_messages or [])
        if not messages:
            return 0
        deliver(store(messages), connection=self._delivery, keep_open=self._in_block)
        return len(messages)
