"""Check-in: signed QR payloads, typed codes, roster ticks and walk-ins; one attendance per session."""

import pytest

from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.registration import services
from manabiya.registration.models import Attendance

from ..racing import race
from .conftest import apply, new_citizen


@pytest.fixture
def confirmed(course):
    return apply(new_citizen(), course)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: p[:-1] + ("A" if p[-1] != "A" else "B"),  # one character of the signature
        lambda p: p.replace("A", "A1", 1),  # another application number, same signature
        lambda p: p.split(":")[0],  # no signature at all
        lambda p: "A1:" + "x" * 27,  # made up
    ],
    ids=["signature-changed", "number-changed", "unsigned", "made-up"],
)
def test_forged_or_altered_qr_payloads_are_refused(confirmed, provider_member, tamper):
    session = confirmed.opportunity.sessions.get()
    with pytest.raises(RuleViolation):
        services.attendance_record(
            actor=provider_member, session=session, payload=tamper(services.checkin_payload(confirmed))
        )
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_qr_code_of_another_course_is_refused(confirmed, make_course, provider_member):
    other = make_course(title="別の講座")
    with pytest.raises(RuleViolation):
        services.attendance_record(
            actor=provider_member, session=other.sessions.get(), payload=services.checkin_payload(confirmed)
        )


@pytest.mark.django_db
def test_typed_code_in_any_case_and_spacing_checks_in(confirmed, provider_member):
    session = confirmed.opportunity.sessions.get()
    typed = confirmed.checkin_code.replace("-", " ").lower()
    attendance, created = services.attendance_record(actor=provider_member, session=session, code=typed)
    assert created and attendance.method == Attendance.Method.CODE and attendance.people == 1


@pytest.mark.django_db
def test_only_confirmed_applications_check_in(make_course, provider_member, english):
    course = make_course(capacity=1)
    apply(new_citizen(), course)
    waiting = apply(new_citizen(), course)
    with pytest.raises(RuleViolation, match="not confirmed"):
        services.attendance_record(actor=provider_member, session=course.sessions.get(), application=waiting)


@pytest.mark.django_db
def test_another_providers_staff_cannot_take_attendance(confirmed, other_member):
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=other_member, session=confirmed.opportunity.sessions.get(), application=confirmed
        )
    with pytest.raises(PermissionDenied):
        services.walk_in_record(actor=other_member, session=confirmed.opportunity.sessions.get(), people=3)


@pytest.mark.django_db
def test_walk_ins_are_counted_on_the_session(course, provider_member):
    from manabiya.registration.selectors import session_counts

    session = course.sessions.get()
    services.walk_in_record(actor=provider_member, session=session, people=4)
    services.walk_in_record(actor=provider_member, session=session, name="飛込 一郎")
    assert session_counts(opportunity=course)[0].walk_in_people == 5


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_the_same_moment_record_one_attendance(course, provider_member):
    """Two staff phones scan the same code at once: one attendance, the other told it exists."""
    application = apply(new_citizen(), course)
    session = course.sessions.get()
    payload = services.checkin_payload(application)
    outcomes = race(*[lambda: services.attendance_record(actor=provider_member, session=session, payload=payload)] * 6)
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    assert sum(created for _attendance, created in outcomes) == 1
    assert Attendance.objects.filter(session=session).count() == 1
