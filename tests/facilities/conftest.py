"""A Koganei community hall with two rooms, and approved registrations, built through the services."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from manabiya.core.models import User
from manabiya.facilities import services
from manabiya.facilities.models import Facility, Room

_numbers = itertools.count(1)


@pytest.fixture
def hall(koganei, venue, kominkan):
    """Open 9:00–21:30 in three blocks, closed on Mondays; the kominkan runs it."""
    return Facility.objects.create(
        municipality=koganei, venue=venue, operator=kominkan, unit_scheme="blocks",
        opens_at=dt.time(9), closes_at=dt.time(21, 30), closed_weekdays=[1], monthly_cap=3,
    )  # fmt: skip


@pytest.fixture
def room(hall):
    return Room.objects.create(
        facility=hall, name="第1学習室", capacity=30, fee_resident=600, fee_non_resident=1200, fee_group=500,
        fee_commercial=3000,
    )  # fmt: skip


@pytest.fixture
def gym(koganei, make_organization):
    from manabiya.catalog.models import Venue

    venue = Venue.objects.create(municipality=koganei, name="小金井市総合体育館", address="東京都小金井市関野町1-1")
    facility = Facility.objects.create(
        municipality=koganei, venue=venue, unit_scheme="hourly", opens_at=dt.time(9), closes_at=dt.time(21)
    )
    return Room.objects.create(facility=facility, name="競技場", capacity=200, fee_resident=1000, fee_group=800)


def make_booker(municipality, *, kind="group", name=None, approve_by=None, **fields):
    n = next(_numbers)
    user = fields.pop("user", None) or User.objects.create_user(email=f"booker{n}@example.jp", password=None)
    defaults = {
        "name": name or f"こがねい囲碁クラブ{n}", "representative": f"代表 {n}", "phone": f"042-000-{n:04d}",
        "email": user.email, "members": 10, "members_in_city": 8,
    }  # fmt: skip
    if kind == "individual":
        defaults.update(members=1, members_in_city=1)
    booker = services.booker_register(user=user, municipality=municipality, kind=kind, **{**defaults, **fields})
    if approve_by is not None:
        booker = services.booker_decide(actor=approve_by, booker=booker, approve=True)
    return booker


@pytest.fixture
def group(koganei, coordinator):
    return make_booker(koganei, approve_by=coordinator)


def next_open_day(hall, *, after_days=7) -> dt.date:
    """A day the hall is open, `after_days` or more from today."""
    day = timezone.localdate() + dt.timedelta(days=after_days)
    while day.isoweekday() in hall.closed_weekdays:
        day += dt.timedelta(days=1)
    return day


def book(booker, room, day, first=0, last=None, **fields):
    return services.booking_create(
        actor=fields.pop("actor", booker.user), booker=booker, room=room, date=day, first_unit=first,
        last_unit=first if last is None else last, purpose=fields.pop("purpose", "囲碁の例会"),
        attendees=fields.pop("attendees", 10), **fields,
    )  # fmt: skip
