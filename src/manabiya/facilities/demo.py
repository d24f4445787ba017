"""The demo's bookable rooms: Koganei's main community hall (公民館本館), run by the hall whose
demo account is its staff, with a few bookings, and the demo citizen registered to book."""

import datetime as dt

from django.db.models import Q

from manabiya.catalog.models import Venue
from manabiya.core.models import Organization, User

from . import services
from .models import Booker, Booking, Facility, HeldUnit, Room

ROOMS = (
    ("第1学習室", 30, "ホワイトボード、プロジェクター", False, (600, 1200, 500, 3000)),
    ("講座室", 60, "マイク、スクリーン", True, (1200, 2400, 1000, 6000)),
    ("和室", 20, "座卓", False, (400, 800, 300, 2000)),
)


def demo_facilities(
    *, venue: Venue, operator: Organization, staff: User, citizen: User, name: str, today: dt.date
) -> int:
    """The hall, its rooms, the citizen's approved registration and one booking; returns the rooms made.
    Call inside the demo's transaction."""
    facility = Facility.objects.create(
        municipality=venue.municipality, venue=venue, operator=operator, unit_scheme="blocks",
        opens_at=dt.time(9), closes_at=dt.time(21, 30), closed_weekdays=[1], monthly_cap=4,
        description="学習室・講座室・和室を、登録した個人・団体が利用できます。",
    )  # fmt: skip
    rooms = [
        Room.objects.create(
            facility=facility,
            name=room_name,
            capacity=capacity,
            equipment=equipment,
            needs_approval=approval,
            fee_resident=fees[0],
            fee_non_resident=fees[1],
            fee_group=fees[2],
            fee_commercial=fees[3],
            order=order,
        )
        for order, (room_name, capacity, equipment, approval, fees) in enumerate(ROOMS)
    ]
    booker = services.booker_register(
        user=citizen, municipality=venue.municipality, kind=Booker.Kind.INDIVIDUAL, name=name,
        name_kana="マナビ ハナコ", representative=name, phone="042-000-0000", email=citizen.email, resident=True,
    )  # fmt: skip
    services.booker_decide(actor=staff, booker=booker, approve=True, today=today)
    day = today + dt.timedelta(days=10)
    while day.isoweekday() in facility.closed_weekdays:
        day += dt.timedelta(days=1)
    services.booking_create(
        actor=citizen, booker=booker, room=rooms[0], date=day, first_unit=2, last_unit=2,
        purpose="読書会", attendees=8, today=today,
    )  # fmt: skip
    return len(rooms)


def reset_demo_facilities(*, emails: list[str], venues) -> int:
    """Remove the demo's facilities and the demo accounts' registrations and bookings."""
    facilities = Facility.objects.filter(venue__in=venues)
    bookings = Booking.objects.filter(Q(room__facility__in=facilities) | Q(booker__user__email__in=emails))
    HeldUnit.objects.filter(booking__in=bookings).delete()
    bookings.delete()
    Booker.objects.filter(user__email__in=emails).delete()
    removed = facilities.count()
    facilities.delete()
    return removed
