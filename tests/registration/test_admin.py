"""The admin shows coordinators their municipality's applications and draws, and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from manabiya.registration import services
from manabiya.registration.models import Application, ApplicationStatus

from .conftest import apply, new_citizen

pytestmark = pytest.mark.django_db


def test_coordinator_reads_their_municipalitys_applications_and_changes_nothing(client, course, coordinator):
    application = apply(new_citizen(name="小金井 花子"), course)
    client.force_login(coordinator)
    listing = client.get(reverse("admin:registration_application_changelist"))
    assert "小金井 花子" in listing.content.decode()
    change_url = reverse("admin:registration_application_change", args=[application.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and application.checkin_code in page.content.decode()
    client.post(change_url, {"status": ApplicationStatus.CANCELLED, "name": "書き換え"})
    application.refresh_from_db()
    assert (application.status, application.name) == (ApplicationStatus.CONFIRMED, "小金井 花子")
    delete = client.post(reverse("admin:registration_application_delete", args=[application.pk]), {"post": "yes"})
    assert delete.status_code == 403 and Application.objects.filter(pk=application.pk).exists()


def test_another_citys_coordinator_sees_no_application_nor_draw(client, make_course, chitose_coordinator):
    course = make_course(capacity=1, method="lottery", closes_in=dt.timedelta(seconds=1))
    application = apply(new_citizen(name="小金井 太郎"), course)
    draw = services.lottery_draw(actor=None, opportunity=course, now=course.application_closes_at)
    client.force_login(chitose_coordinator)
    assert "小金井 太郎" not in client.get(reverse("admin:registration_application_changelist")).content.decode()
    assert client.get(reverse("admin:registration_application_change", args=[application.pk])).status_code == 403
    assert client.get(reverse("admin:registration_lotterydraw_change", args=[draw.pk])).status_code == 403


def test_the_draw_record_is_in_the_admin_for_the_coordinator(client, make_course, coordinator):
    course = make_course(capacity=1, method="lottery", closes_in=dt.timedelta(seconds=1))
    apply(new_citizen(), course)
    draw = services.lottery_draw(actor=None, opportunity=course, now=course.application_closes_at)
    client.force_login(coordinator)
    page = client.get(reverse("admin:registration_lotterydraw_change", args=[draw.pk])).content.decode()
    assert draw.seed in page and draw.algorithm in page
