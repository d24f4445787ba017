"""Scans racing each other and the check-in, each on its own connection: one stamp per session."""

import pytest

from manabiya.passport import services
from manabiya.passport.models import Award, Stamp
from manabiya.registration import services as registration_services

from ..racing import race
from ..registration.conftest import apply

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_scans_of_one_card_at_one_session_make_one_stamp(learner, taking_part, provider_member):
    session = taking_part(method="none", capacity=None).sessions.get()
    payload = services.card_payload(learner)
    outcomes = race(*[lambda: services.stamp_scan(actor=provider_member, session=session, text=payload)] * 20)
    assert all(isinstance(o, tuple) for o in outcomes), [o for o in outcomes if not isinstance(o, tuple)]
    assert sum(created for _stamp, created in outcomes) == 1
    assert Stamp.objects.filter(passport=learner, session=session).count() == 1


def test_a_scan_racing_the_check_in_makes_one_stamp_and_one_award(learner, taking_part, provider_member):
    """The level at 2 credits: one earlier stamp, then the same session by card and by check-in at once."""
    course = taking_part(dates=2)
    first, second = course.sessions.order_by("starts_at")
    application = apply(learner.user, course)
    registration_services.attendance_record(actor=provider_member, session=first, application=application)
    payload = services.card_payload(learner)
    outcomes = race(
        lambda: services.stamp_scan(actor=provider_member, session=second, text=payload),
        lambda: registration_services.attendance_record(actor=provider_member, session=second, application=application),
        lambda: services.stamp_scan(actor=provider_member, session=second, text=learner.number),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Stamp.objects.filter(passport=learner, session=second).count() == 1
    assert Award.objects.filter(passport=learner).count() == 1
