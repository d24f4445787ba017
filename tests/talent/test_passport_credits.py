"""A volunteer activity logged in the talent bank earns credits in the volunteer's learning passport,
where the city's programme counts volunteering: per hour or per activity, once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from manabiya.passport import services as passport_services
from manabiya.passport.models import Stamp
from manabiya.talent import services

from ..conftest import future
from .conftest import make_profile

pytestmark = pytest.mark.django_db


def _programme(koganei, coordinator, *, counts: bool, rule="per_hour"):
    today = timezone.localdate()
    return passport_services.programme_create(
        actor=coordinator, municipality=koganei, name=f"こがねい学び手帳 {counts}",
        starts_on=today - dt.timedelta(days=30), ends_on=today + dt.timedelta(days=300), credit_rule=rule,
        credits_per_unit=Decimal(1), counts_volunteering=counts, levels=[{"name": "初級", "credits": Decimal(10)}],
    )  # fmt: skip


def _logged(koganei, coordinator, kominkan, provider_member, volunteer, sending, *, hours="2.5"):
    start = future(10, hour=9)
    need = services.need_post(
        actor=provider_member, organization=kominkan, kind="event", title="公民館まつりの受付", description="受付",
        place="公民館本館", starts_at=start, ends_at=start + dt.timedelta(hours=3), people_needed=2,
    )  # fmt: skip
    assignment = services.volunteer_apply(actor=volunteer.user, need=need, talent=volunteer)
    services.volunteer_confirm(actor=coordinator, assignment=assignment)
    for _ in range(2):  # logged twice: corrected, not added
        with sending():
            services.activity_log(actor=provider_member, need=need, entries={assignment.pk: (True, Decimal(hours))},
                                  now=start + dt.timedelta(hours=4))  # fmt: skip
    return assignment


def test_a_logged_activity_stamps_the_passports_that_count_volunteering(
    koganei, coordinator, kominkan, provider_member, sending
):
    volunteer = make_profile(koganei, approve_by=coordinator, is_volunteer=True)
    counting = _programme(koganei, coordinator, counts=True)
    other = _programme(koganei, coordinator, counts=False)
    for programme in (counting, other):
        passport_services.passport_join(user=volunteer.user, programme=programme, name=volunteer.name)
    assignment = _logged(koganei, coordinator, kominkan, provider_member, volunteer, sending)
    (stamp,) = Stamp.objects.all()
    assert (stamp.passport.programme, stamp.source, stamp.volunteer_assignment) == (counting, "volunteer", assignment)
    assert stamp.credits == Decimal("2.5") and stamp.title == "公民館まつりの受付" and stamp.provider == kominkan


def test_per_session_programmes_give_one_unit_and_non_participants_nothing(
    koganei, coordinator, kominkan, provider_member, sending
):
    volunteer = make_profile(koganei, approve_by=coordinator, is_volunteer=True)
    programme = _programme(koganei, coordinator, counts=True, rule="per_session")
    passport_services.passport_join(user=volunteer.user, programme=programme, name=volunteer.name)
    _logged(koganei, coordinator, kominkan, provider_member, volunteer, sending)
    assert [s.credits for s in Stamp.objects.all()] == [Decimal(1)]
    without_passport = make_profile(koganei, approve_by=coordinator, is_volunteer=True)
    _logged(koganei, coordinator, kominkan, provider_member, without_passport, sending)
    assert Stamp.objects.count() == 1
