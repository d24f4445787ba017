"""No email is lost: with the mail server down, confirmations and lottery results wait and are
retried with back-off for a day; failed ones are listed for staff, who send them again."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from manabiya.core import mail
from manabiya.core.models import OutgoingEmail
from manabiya.registration import services

from ..smtp import SmtpServer
from .conftest import apply, new_citizen

Status = OutgoingEmail.Status


@pytest.fixture
def smtp(settings):
    """The real SMTP backend pointed at a test server that is down until the test starts it."""
    server = SmtpServer()
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.mark.django_db
def test_a_confirmation_waits_while_the_mail_server_is_down_and_goes_when_it_is_back(
    smtp, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(new_citizen(), course)
    (email,) = OutgoingEmail.objects.all()
    assert email.recipients == [application.email]
    assert email.status == Status.PENDING
    assert email.attempts == 1
    assert "Connection" in email.last_error or "refused" in email.last_error.lower()
    first_retry = email.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < first_retry <= dt.timedelta(minutes=1)
    assert email.municipality_id == course.municipality_id

    # A minute on, still down: the wait grows.
    later = email.next_attempt_at
    outcome = mail.deliver_due(now=later)
    assert outcome.retrying == [email.pk]
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at - later == dt.timedelta(minutes=2)

    # The server is back: the next attempt delivers it, once.
    smtp.start()
    assert mail.deliver_due(now=email.next_attempt_at).sent == [email.pk]
    assert mail.deliver_due(now=email.next_attempt_at + dt.timedelta(hours=1)).sent == []
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert [envelope.rcpt_tos for envelope in smtp.messages] == [[application.email]]
    assert course.title in smtp.subjects()[0]
    assert "body" not in email.message  # the content is not kept once delivered


@pytest.mark.django_db
def test_each_retry_is_a_task_deferred_to_its_time(
    smtp, course, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """On the database queue the worker runs each retry when it is due: nothing has to poll."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        apply(new_citizen(), course)
    (send_task,) = DBTaskResult.objects.filter(task_path__endswith="send_application_email")
    with django_capture_on_commit_callbacks(execute=True):
        send_task.task.call(**send_task.args_kwargs["kwargs"])
    email = OutgoingEmail.objects.get()
    (retry,) = DBTaskResult.objects.filter(task_path="manabiya.core.mail.deliver_email_task")
    assert retry.args_kwargs["kwargs"] == {"email_id": email.pk}
    assert retry.run_after == email.next_attempt_at

    smtp.start()
    monkeypatch.setattr(timezone, "now", lambda: retry.run_after)  # the worker runs it when it is due
    assert retry.task.call(**retry.args_kwargs["kwargs"]) == 1
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_lottery_results_are_retried_for_a_day_then_listed_for_staff_who_send_them_again(
    smtp, make_course, coordinator, chitose_coordinator, client, django_capture_on_commit_callbacks
):
    """Winners must confirm within days: a result the mail server never took is not dropped quietly."""
    course = make_course(capacity=1, method="lottery")
    applicants = [new_citizen() for _ in range(3)]
    for citizen in applicants:
        apply(citizen, course)
    drawn_at = course.application_closes_at + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.lottery_draw(actor=None, opportunity=course, now=drawn_at)
    results = list(OutgoingEmail.objects.filter(status=Status.PENDING).order_by("pk"))
    assert sorted(email.recipients[0] for email in results) == sorted(c.email for c in applicants)
    queued_at = min(email.created_at for email in results)

    # Every attempt over the day fails; the last one comes at the day's end, not before.
    moments = []
    now = queued_at
    while OutgoingEmail.objects.filter(status=Status.PENDING).exists():
        now = min(OutgoingEmail.objects.filter(status=Status.PENDING).values_list("next_attempt_at", flat=True))
        moments.append(now)
        mail.deliver_due(now=now)
        assert len(moments) < 100
    assert moments[-1] - queued_at >= dt.timedelta(hours=24)
    failed = list(OutgoingEmail.objects.filter(status=Status.FAILED))
    assert len(failed) == len(results)
    assert all(email.attempts >= 10 and not email.refused for email in failed)

    # The coordinator of the course's city sees them on the staff home; another city's does not.
    client.force_login(chitose_coordinator)
    assert course.title not in client.get(reverse("catalog:coordinator_home")).content.decode()
    assert client.post(reverse("core:email_resend", args=[failed[0].pk])).status_code == 403
    client.force_login(coordinator)
    page = client.get(reverse("catalog:coordinator_home")).content.decode()
    assert page.count(reverse("core:email_resend", args=[failed[0].pk])) == 1
    assert all(email.recipients[0] in page for email in failed)

    # The server is back; "Send again" delivers at once.
    smtp.start()
    home = reverse("catalog:coordinator_home")
    response = client.post(reverse("core:email_resend", args=[failed[0].pk]), {"next": home})
    assert response.status_code == 302 and response.url == home
    failed[0].refresh_from_db()
    assert failed[0].status == Status.SENT
    assert len(smtp.messages) == 1
