"""Many clients at one room slot at the same moment, each on its own connection: one wins."""

import pytest

from manabiya.core.errors import RuleViolation
from manabiya.facilities.models import Booking, HeldUnit

from ..racing import race
from .conftest import book, make_booker, next_open_day

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 60


@pytest.fixture(autouse=True)
def _in_english(english):
    """The refusal is quoted in English."""


def test_sixty_groups_at_one_slot_make_one_booking_and_fifty_nine_clear_refusals(koganei, coordinator, room, hall):
    groups = [make_booker(koganei, approve_by=coordinator) for _ in range(CLIENTS)]
    day = next_open_day(hall)
    outcomes = race(*[lambda g=g: book(g, room, day, first=1) for g in groups])
    won = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, RuleViolation)]
    assert len(won) == 1 and len(refused) == CLIENTS - 1, [
        o for o in outcomes if not isinstance(o, Booking | RuleViolation)
    ]
    assert all("already taken" in r.message for r in refused)
    assert HeldUnit.objects.filter(room=room, date=day, unit=1).count() == 1
    assert Booking.objects.filter(room=room, date=day).count() == 1, "the refused bookings left nothing behind"


def test_overlapping_hourly_bookings_racing_never_share_an_hour(koganei, coordinator, gym):
    groups = [make_booker(koganei, approve_by=coordinator) for _ in range(CLIENTS)]
    day = next_open_day(gym.facility)
    # Each asks for two or three hours somewhere in 10:00–15:00.
    spans = [(1 + i % 4, 1 + i % 4 + 1 + i % 2) for i in range(CLIENTS)]
    outcomes = race(
        *[lambda g=g, s=s: book(g, gym, day, first=s[0], last=s[1]) for g, s in zip(groups, spans, strict=True)]
    )
    won = [o for o in outcomes if isinstance(o, Booking)]
    assert won and all(isinstance(o, Booking | RuleViolation) for o in outcomes)
    hours = [unit for booking in won for unit in range(booking.first_unit, booking.last_unit + 1)]
    assert len(hours) == len(set(hours)), "two bookings hold the same hour"
    assert HeldUnit.objects.filter(room=gym, date=day).count() == len(hours)


def test_one_group_racing_itself_stays_within_its_monthly_cap(koganei, coordinator, room, hall):
    group = make_booker(koganei, approve_by=coordinator)
    day = next_open_day(hall)
    units = [(day, unit) for unit in range(3)] + [(next_open_day(hall, after_days=8), unit) for unit in range(3)]
    same_month = [(d, u) for d, u in units if d.month == day.month]
    outcomes = race(*[lambda d=d, u=u: book(group, room, d, first=u) for d, u in same_month])
    assert sum(isinstance(o, Booking) for o in outcomes) == min(3, len(same_month))
