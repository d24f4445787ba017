"""Staff confirming volunteers at the same moment, each on its own connection, never confirm more
than the need asks for; two coordinators asking lecturers for one request at once ask one."""

import datetime as dt

import pytest

from manabiya.core import services as core_services
from manabiya.core.errors import RuleViolation
from manabiya.core.models import User
from manabiya.talent import services
from manabiya.talent.models import LecturerInvitation, VolunteerAssignment

from ..conftest import future
from ..racing import race
from .conftest import make_profile, request_lecture

pytestmark = pytest.mark.django_db(transaction=True)

VOLUNTEERS = 20
PLACES = 3


@pytest.fixture(autouse=True)
def _in_english(english):
    """The refusal is quoted in English."""


def test_confirmations_racing_fill_the_places_and_no_more(koganei, coordinator, kominkan, provider_member):
    start = future(10, hour=9)
    need = services.need_post(
        actor=provider_member, organization=kominkan, kind="event", title="公民館まつりの受付", description="受付",
        place="公民館本館", starts_at=start, ends_at=start + dt.timedelta(hours=3), people_needed=PLACES,
    )  # fmt: skip
    assignments = []
    for _ in range(VOLUNTEERS):
        volunteer = make_profile(koganei, approve_by=coordinator, is_volunteer=True)
        assignments.append(services.volunteer_apply(actor=volunteer.user, need=need, talent=volunteer))
    confirmers = [coordinator, provider_member]
    outcomes = race(
        *[
            lambda a=a, n=n: services.volunteer_confirm(actor=confirmers[n % 2], assignment=a)
            for n, a in enumerate(assignments)
        ]
    )
    refusals = [o for o in outcomes if isinstance(o, RuleViolation)]
    assert len(refusals) == VOLUNTEERS - PLACES
    assert all(str(r.message) == f"All {PLACES} places are filled." for r in refusals)
    assert VolunteerAssignment.objects.filter(need=need, state="confirmed").count() == PLACES


def test_two_coordinators_asking_at_once_ask_one_lecturer(koganei, coordinator, topic, group_leader):
    other_coordinator = User.objects.create_user(email="kakari2@city.koganei.example.jp", password=None)
    core_services.coordinator_assign(actor=None, user=other_coordinator, municipality=koganei)
    lecturers = [make_profile(koganei, approve_by=coordinator) for _ in range(2)]
    request = request_lecture(topic, group_leader)
    outcomes = race(
        lambda: services.lecturer_invite(actor=coordinator, request=request, talent=lecturers[0]),
        lambda: services.lecturer_invite(actor=other_coordinator, request=request, talent=lecturers[1]),
    )
    assert sum(isinstance(o, LecturerInvitation) for o in outcomes) == 1
    assert sum(isinstance(o, RuleViolation) for o in outcomes) == 1
    assert LecturerInvitation.objects.filter(request=request, state="asked").count() == 1
