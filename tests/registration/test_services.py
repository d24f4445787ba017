import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from manabiya.catalog import services as catalog_services
from manabiya.catalog.services import SessionSpec
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.registration import services
from manabiya.registration.models import Application, ApplicationStatus, Channel

from .conftest import apply, future, new_citizen

pytestmark = pytest.mark.django_db


def statuses(opportunity):
    return list(Application.objects.filter(opportunity=opportunity).order_by("pk").values_list("status", flat=True))


def test_first_come_confirms_until_full_then_queues_in_order(make_course):
    """Seats go first come; once full, applicants queue with ranks 1, 2, … in arrival order."""
    course = make_course(capacity=3)
    applications = [apply(new_citizen(), course) for _ in range(5)]
    assert [a.status for a in applications] == ["confirmed"] * 3 + ["waiting"] * 2
    assert [a.waiting_rank for a in applications[3:]] == [1, 2]
    assert services.held(course) == (3, 0)


def test_same_request_key_makes_one_application(course):
    """A double click or a retried POST (same form token) returns the first application."""
    citizen = new_citizen()
    first = apply(citizen, course, request_key="token-1")
    second = apply(citizen, course, request_key="token-1")
    assert first.pk == second.pk
    assert Application.objects.filter(opportunity=course).count() == 1


def test_one_application_per_person(course):
    citizen = new_citizen()
    apply(citizen, course)
    with pytest.raises(RuleViolation) as refused:
        apply(citizen, course, request_key="another-token")
    assert refused.value.code == "duplicate"


def test_cancellation_moves_the_first_waiting_up_and_tells_them(make_course, django_capture_on_commit_callbacks):
    """A cancelled seat goes to the first waiting application, who gets an email with the .ics."""
    course = make_course(capacity=1)
    holder, waiter = new_citizen(), new_citizen()
    held = apply(holder, course)
    waiting = apply(waiter, course)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_cancel(actor=holder, application=held)
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.CONFIRMED and waiting.waiting_rank is None
    to_waiter = [m for m in mail.outbox if m.to == [waiter.email]]
    assert len(to_waiter) == 1
    assert to_waiter[0].attachments and to_waiter[0].attachments[0][2] == "text/calendar"
    assert any(m.to == [holder.email] for m in mail.outbox)


def test_a_party_waits_for_enough_seats_and_smaller_ones_behind_move_up(make_course):
    """Rule: a waiting party that does not fit keeps its place; a smaller one behind it may take
    the free seat, so no seat stays empty while someone who fits is waiting."""
    course = make_course(capacity=3, rules={"max_party_size": 2})
    a = apply(new_citizen(), course, party=2)
    b = apply(new_citizen(), course, party=1)
    family = apply(new_citizen(), course, party=2)
    single = apply(new_citizen(), course, party=1)
    assert (family.status, single.status) == ("waiting", "waiting")
    services.application_cancel(actor=b.user, application=b)  # one seat free
    family.refresh_from_db()
    single.refresh_from_db()
    assert family.status == "waiting" and family.waiting_rank == 1
    assert single.status == "confirmed"
    services.application_cancel(actor=a.user, application=a)  # two seats free
    family.refresh_from_db()
    assert family.status == "confirmed"


def test_childcare_places_are_a_capacity_of_their_own(make_course):
    """With seats left but childcare full, a parent asking for childcare waits; one without is confirmed."""
    course = make_course(capacity=10, childcare_offered=True, childcare_capacity=2)
    first = apply(new_citizen(), course, childcare=[2, 4])
    second = apply(new_citizen(), course, childcare=[3])
    third = apply(new_citizen(), course)
    assert (first.status, second.status, third.status) == ("confirmed", "waiting", "confirmed")
    assert services.held(course) == (2, 2)


@pytest.mark.parametrize(
    ("rules", "fields", "kwargs", "field"),
    [
        ({"residents_only": True}, {}, {}, "residency"),
        ({}, {"age_min": 60}, {"ages": [35]}, "participants"),
        ({}, {"age_min": 60}, {}, "participants"),
        ({"max_party_size": 1}, {}, {"party": 2}, "participants"),
        ({}, {}, {"childcare": [2]}, "childcare_ages"),
        ({"questions": ["パソコンの経験は？"]}, {}, {}, "answers"),
    ],
    ids=["not-resident", "too-young", "age-missing", "party-too-big", "no-childcare", "question-unanswered"],
)
def test_ineligible_applications_are_refused_with_the_field(make_course, english, rules, fields, kwargs, field):
    course = make_course(rules=rules, **fields)
    citizen = new_citizen(residency="none")
    with pytest.raises(RuleViolation) as refused:
        apply(citizen, course, **kwargs)
    assert refused.value.field == field
    assert not Application.objects.filter(opportunity=course).exists()


def test_residents_of_the_municipality_are_eligible(make_course, koganei):
    course = make_course(rules={"residents_only": True})
    assert apply(new_citizen(residency="works", municipality=koganei), course).status == "confirmed"


def test_parent_and_child_pass_when_the_child_is_in_the_age_range(make_course):
    """親子: the course's age range is the child's; the parent comes along."""
    course = make_course(age_min=6, age_max=12, rules={"max_party_size": 2})
    assert apply(new_citizen(), course, party=2, ages=[38, 8]).party_size == 2


def test_citizen_cannot_cancel_after_the_deadline_but_staff_can(make_course, provider_member, english):
    course = make_course(rules={"cancel_until_hours": 48})  # the session is 7 days ahead
    application = apply(new_citizen(), course)
    late = course.first_starts_at - dt.timedelta(hours=24)
    with pytest.raises(RuleViolation, match="call the provider"):
        services.application_cancel(actor=application.user, application=application, now=late)
    services.application_cancel(actor=provider_member, application=application, now=late)
    application.refresh_from_db()
    assert application.status == "cancelled"


def test_no_one_cancels_another_citizens_application(course):
    application = apply(new_citizen(), course)
    with pytest.raises(PermissionDenied):
        services.application_cancel(actor=new_citizen(), application=application)


def test_staff_apply_at_the_counter_for_someone_without_an_account(course, provider_member):
    applicant = services.ApplicantSpec(name="窓口 花子", name_kana="マドグチ ハナコ", phone="042-111-2222")
    spec = services.ApplicationSpec(participants=[services.PersonSpec(name="窓口 花子")])
    application = services.application_create(
        actor=provider_member, opportunity=course, applicant=applicant, spec=spec, on_behalf=True
    )
    assert application.user is None and application.channel == Channel.COUNTER
    assert application.entered_by == provider_member and application.status == "confirmed"


def test_a_citizen_cannot_apply_for_someone_else(course):
    applicant = services.ApplicantSpec(name="他人", phone="0")
    spec = services.ApplicationSpec(participants=[services.PersonSpec(name="他人")])
    with pytest.raises(PermissionDenied):
        services.application_create(
            actor=new_citizen(), opportunity=course, applicant=applicant, spec=spec, on_behalf=True
        )


def test_cancelling_the_opportunity_ends_every_application_and_says_why(
    make_course, provider_member, django_capture_on_commit_callbacks
):
    course = make_course(capacity=1)
    applications = [apply(new_citizen(), course) for _ in range(3)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.opportunity_cancel(actor=provider_member, opportunity=course, reason="講師急病のため")
    assert statuses(course) == ["cancelled"] * 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in applications)
    assert all("講師急病のため" in m.body for m in mail.outbox)


def test_applications_open_and_close_on_time(make_course, english):
    opens = timezone.now() + dt.timedelta(days=1)
    course = make_course(application_opens_at=opens, application_closes_at=opens + dt.timedelta(days=1))
    with pytest.raises(RuleViolation, match="open at"):
        apply(new_citizen(), course)
    assert apply(new_citizen(), course, now=opens + dt.timedelta(minutes=1)).status == "confirmed"
    with pytest.raises(RuleViolation, match="closed"):
        apply(new_citizen(), course, now=opens + dt.timedelta(days=2))


def test_emails_go_in_the_applicants_language(course, django_capture_on_commit_callbacks):
    citizen = new_citizen()
    profile = citizen.citizen_profile
    spec = services.ApplicationSpec(participants=[services.PersonSpec(name="Taro")])
    with django_capture_on_commit_callbacks(execute=True):
        services.application_create(
            actor=citizen, opportunity=course, applicant=services.applicant_from_profile(profile), spec=spec,
            language="en",
        )  # fmt: skip
        apply(new_citizen(), course)
    english_mail, japanese_mail = mail.outbox
    assert english_mail.subject.startswith("Your place is confirmed")
    assert "確定" in japanese_mail.subject


def test_reminder_is_sent_once_the_day_before(make_course, django_capture_on_commit_callbacks):
    start = future(days=1, hour=10)
    course = make_course(sessions=[SessionSpec(starts_at=start, ends_at=start + dt.timedelta(hours=2))])
    apply(new_citizen(), course)
    mail.outbox.clear()
    now = start - dt.timedelta(hours=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=now) == 1
        assert services.reminders_send(now=now) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments
