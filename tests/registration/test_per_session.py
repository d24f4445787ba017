"""Opportunities whose dates each take their own applications (a drop-in class booked date by date)."""

import datetime as dt

import pytest
from django.urls import reverse

from manabiya.catalog import services as catalog_services
from manabiya.catalog.services import SessionSpec
from manabiya.core.errors import RuleViolation
from manabiya.registration import selectors, services
from manabiya.registration.forms import RulesForm
from manabiya.registration.models import Application, Attendance

from .conftest import future, new_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated(make_course):
    starts = [future(7), future(14)]
    return make_course(
        capacity=2,
        rules={"per_session": True},
        sessions=[SessionSpec(starts_at=s, ends_at=s + dt.timedelta(hours=2)) for s in starts],
    )


def apply_for_date(user, opportunity, session, **kwargs):
    applicant = services.applicant_from_profile(user.citizen_profile)
    spec = services.ApplicationSpec(participants=[services.PersonSpec(name=applicant.name)])
    return services.application_create(
        actor=user, opportunity=opportunity, applicant=applicant, spec=spec, session=session, **kwargs
    )


def test_each_date_has_its_own_capacity_and_queue(dated):
    first, second = dated.sessions.order_by("starts_at")
    outcomes = [apply_for_date(new_citizen(), dated, first).status for _ in range(3)]
    assert outcomes == ["confirmed", "confirmed", "waiting"]
    assert apply_for_date(new_citizen(), dated, second).status == "confirmed"
    assert services.held(dated, first) == (2, 0) and services.held(dated, second) == (1, 0)


def test_a_date_must_be_chosen(dated, english):
    with pytest.raises(RuleViolation) as refused:
        apply_for_date(new_citizen(), dated, None)
    assert refused.value.field == "session"


def test_one_person_may_book_each_date_once(dated):
    first, second = dated.sessions.order_by("starts_at")
    citizen = new_citizen()
    apply_for_date(citizen, dated, first)
    apply_for_date(citizen, dated, second)
    with pytest.raises(RuleViolation):
        apply_for_date(citizen, dated, first)


def test_a_cancellation_moves_up_the_same_dates_queue_only(dated):
    first, second = dated.sessions.order_by("starts_at")
    holder = apply_for_date(new_citizen(), dated, first)
    apply_for_date(new_citizen(), dated, first)
    waiting_first = apply_for_date(new_citizen(), dated, first)
    for _ in range(2):
        apply_for_date(new_citizen(), dated, second)
    waiting_second = apply_for_date(new_citizen(), dated, second)
    services.application_cancel(actor=holder.user, application=holder)
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert (waiting_first.status, waiting_second.status) == ("confirmed", "waiting")


def test_check_in_only_at_the_date_applied_for(dated, provider_member, english):
    first, second = dated.sessions.order_by("starts_at")
    application = apply_for_date(new_citizen(), dated, first)
    with pytest.raises(RuleViolation, match="another date"):
        services.attendance_record(actor=provider_member, session=second, application=application)
    assert selectors.session_roster(session=second) == []
    services.attendance_record(actor=provider_member, session=first, application=application)
    assert Attendance.objects.get().session == first


def test_availability_lists_every_date(dated):
    first, second = dated.sessions.order_by("starts_at")
    for _ in range(2):
        apply_for_date(new_citizen(), dated, first)
    found = selectors.availability(opportunity=dated)
    assert [(s.pk, a.state, a.seats_left) for s, a in found.sessions] == [
        (first.pk, "full", 0),
        (second.pk, "open", 2),
    ]
    assert found.state == "open" and found.seats_left == 2


def test_a_lottery_cannot_take_applications_per_date(make_course, provider_member, english):
    course = make_course(method="lottery")
    form = RulesForm({"max_party_size": 1, "cancel_until_hours": 24, "confirm_within_hours": 72, "per_session": "on"})
    assert form.is_valid(), form.errors
    form.instance.opportunity = course
    with pytest.raises(RuleViolation) as refused:
        services.rules_save(actor=provider_member, opportunity=course, form=form)
    assert refused.value.field == "per_session"


def test_a_date_with_applications_cannot_be_removed(dated, provider_member, english):
    first, second = dated.sessions.order_by("starts_at")
    apply_for_date(new_citizen(), dated, first)
    keep_second = [SessionSpec(starts_at=second.starts_at, ends_at=second.ends_at, id=second.pk)]
    with pytest.raises(RuleViolation, match="cannot be removed"):
        catalog_services.opportunity_update(actor=provider_member, opportunity=dated, sessions=keep_second)
    assert dated.sessions.count() == 2


def test_the_form_offers_the_dates_with_places_left(client, dated):
    first, second = dated.sessions.order_by("starts_at")
    client.force_login(new_citizen())
    url = reverse("registration:apply", args=[dated.pk])
    page = client.get(url)
    form = page.context["form"]
    assert [value for value, _label in form.fields["session"].choices] == [first.pk, second.pk]
    data = {
        "request_key": form.initial["request_key"], "session": second.pk, "name": "日付 選択",
        "name_kana": "ヒヅケ", "phone": "1", "residency": "lives",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert Application.objects.get().session == second
