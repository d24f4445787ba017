"""Every email passes through the outbox (`core.mail`): stored, sent, retried, never sent twice."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from manabiya.core import mail
from manabiya.core.models import OutgoingEmail

from ..smtp import SmtpServer

Status = OutgoingEmail.Status


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


def as_task(task_id: str, send) -> None:
    """Run `send` as a background task with this id would (django-tasks' started/finished signals)."""
    result = SimpleNamespace(id=task_id)
    mail.on_task_started(None, task_result=result)
    try:
        send()
    finally:
        mail.on_task_finished(None, task_result=result)


def two_notices() -> None:
    with get_connection() as connection:
        for address in ("a@example.jp", "b@example.jp"):
            EmailMessage(subject="お知らせ", body="本文", to=[address], connection=connection).send()


@pytest.mark.django_db
def test_a_task_run_twice_sends_each_of_its_messages_once():
    """A worker that died after sending, and the worker that took its task up, send no one a copy."""
    as_task("task-1", two_notices)
    as_task("task-1", two_notices)
    assert sorted(m.to[0] for m in django_mail.outbox) == ["a@example.jp", "b@example.jp"]
    assert OutgoingEmail.objects.filter(status=Status.SENT).count() == 2

    as_task("task-2", two_notices)  # another task is another message
    assert len(django_mail.outbox) == 4


@pytest.mark.django_db
def test_a_task_run_again_sends_what_its_first_run_did_not_whatever_the_order(smtp):
    """The second run may have other messages to send (a watched slot was booked meanwhile, so its
    watcher is no longer told): a message is known again by what it says to whom, not by its place."""

    def to(address):
        return lambda: EmailMessage(subject="空きが出ました", body="本文", to=[address]).send()

    smtp.start()
    as_task("task-1", to("a@example.jp"))
    as_task("task-1", to("b@example.jp"))
    assert sorted(e.rcpt_tos[0] for e in smtp.messages) == ["a@example.jp", "b@example.jp"]


@pytest.mark.django_db
def test_a_task_run_again_while_its_message_waits_leaves_it_to_its_retry(smtp):
    """A second run finds the first run's message waiting for its retry: it neither queues a copy nor
    tries it before its time (each early try would start another chain of retries)."""
    as_task("task-1", two_notices)  # the server is down: both wait
    waiting = {e.pk: e.next_attempt_at for e in OutgoingEmail.objects.all()}
    assert len(waiting) == 2
    smtp.start()
    as_task("task-1", two_notices)
    assert smtp.messages == []
    assert {e.pk: e.next_attempt_at for e in OutgoingEmail.objects.all()} == waiting
    assert sorted(mail.deliver_due(now=max(waiting.values())).sent) == sorted(waiting)
    assert sorted(e.rcpt_tos[0] for e in smtp.messages) == ["a@example.jp", "b@example.jp"]


@pytest.mark.django_db
def test_a_mail_server_that_refuses_the_login_is_retried_not_failed(smtp, settings):
    """A 5xx about the session (a changed password) is the server's problem: the message waits."""
    smtp.refuse_logins = True
    smtp.start()
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "mailer", "changed-password"
    EmailMessage(subject="s", body="b", to=["a@example.jp"]).send()
    email = OutgoingEmail.objects.get()
    assert email.status == Status.PENDING and not email.refused
    assert email.attempts == 1
    assert email.last_error.startswith("SMTPAuthenticationError: (535"), email.last_error


@pytest.mark.django_db
def test_a_permanent_refusal_fails_at_once_and_is_not_retried(smtp):
    smtp.start()
    smtp.refuse_with = "550 5.1.1 No such user here"
    EmailMessage(subject="s", body="b", to=["nobody@example.jp"]).send()
    email = OutgoingEmail.objects.get()
    assert email.status == Status.FAILED
    assert email.attempts == 1
    assert email.refused
    assert "550" in email.last_error


@pytest.mark.django_db
def test_attachments_and_html_survive_the_wait_byte_for_byte(smtp):
    message = EmailMultiAlternatives(subject="予約", body="テキスト", to=["a@example.jp"], reply_to=["r@example.jp"])
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("event.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("card.pdf", b"%PDF-1.4 \x00\xff binary", "application/pdf")
    message.send()  # down: stored
    stored = mail.deserialize(OutgoingEmail.objects.get().message)
    assert stored.alternatives[0][0] == "<p>HTML</p>"
    assert [a[0] for a in stored.attachments] == ["event.ics", "card.pdf"]
    assert stored.attachments[1][1] == b"%PDF-1.4 \x00\xff binary"
    assert stored.reply_to == ["r@example.jp"]

    smtp.start()
    call_command("requeue_emails", "--due", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.deliver_due(now=timezone.now() + dt.timedelta(minutes=2)).sent
    (envelope,) = smtp.messages
    assert b"binary" not in envelope.content  # base64 in the mail
    assert b"card.pdf" in envelope.content and b"text/html" in envelope.content


@pytest.mark.django_db
def test_the_requeue_command_sends_failed_emails_again(smtp, settings, capsys):
    settings.EMAIL_RETRY_HOURS = 0  # give up at the first failure
    EmailMessage(subject="s", body="b", to=["a@example.jp"]).send()
    assert OutgoingEmail.objects.get().status == Status.FAILED
    smtp.start()
    call_command("requeue_emails")
    assert "sent 1" in capsys.readouterr().out
    assert OutgoingEmail.objects.get().status == Status.SENT
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_account_emails_go_through_the_outbox_and_their_links_are_not_kept(client, citizen):
    """allauth's password reset is stored like any email; once sent, its link is no longer in the database."""
    client.post(reverse("account_reset_password"), {"email": citizen.email})
    (email,) = OutgoingEmail.objects.filter(recipients=[citizen.email])
    assert email.status == Status.SENT
    assert "/accounts/password/reset/key/" in django_mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in str(email.message)
