"""Reads of facility reservation: availability grids, a user's bookings, staff's lists."""

import calendar
import datetime as dt
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from manabiya.core.models import Municipality

from .models import Block, Booker, Booking, Facility, HeldUnit, Room

FREE, TAKEN, BLOCKED, CLOSED, PAST = "free", "taken", "blocked", "closed", "past"


@dataclass(frozen=True)
class Day:
    date: dt.date
    cells: list[str]  # one state per booking unit

    @property
    def free(self) -> int:
        return self.cells.count(FREE)


@dataclass(frozen=True)
class Grid:
    room: Room
    units: list[str]  # labels
    days: list[Day]


def municipalities_staffed_by(*, user) -> QuerySet[Municipality]:
    """The municipalities where `user` is facility staff: a member of the organization operating one of
    its facilities (whom `services.can_manage_facility` lets in besides the coordinators)."""
    return Municipality.objects.filter(facilities__operator__memberships__user=user).distinct()


def facilities_public(*, municipality_code: str = "") -> QuerySet[Facility]:
    facilities = Facility.objects.select_related("venue", "municipality").prefetch_related("rooms")
    if municipality_code:
        facilities = facilities.filter(municipality__code=municipality_code)
    return facilities


def week_of(day: dt.date) -> list[dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return [monday + dt.timedelta(days=i) for i in range(7)]


def month_of(day: dt.date) -> list[dt.date]:
    first = day.replace(day=1)
    return [first + dt.timedelta(days=i) for i in range(calendar.monthrange(day.year, day.month)[1])]


def availability(*, room: Room, days: list[dt.date], today: dt.date | None = None) -> Grid:
    """Each unit of each day: free, taken, blocked, closed or past — in two queries whatever the
    number of days or bookings, reading only the held units of the room and those days."""
    today = today or timezone.localdate()
    facility = room.facility
    units = facility.units()
    held = {
        (date, unit): blocked
        for date, unit, blocked in HeldUnit.objects.filter(room=room, date__gte=days[0], date__lte=days[-1])
        .values_list("date", "unit", "block_id")
        .iterator()
    }
    closed = set(facility.closed_days.filter(date__gte=days[0], date__lte=days[-1]).values_list("date", flat=True))
    grid = []
    for day in days:
        if day < today:
            cells = [PAST] * len(units)
        elif day in closed or day.isoweekday() in facility.closed_weekdays:
            cells = [CLOSED] * len(units)
        else:
            cells = [
                FREE if (day, i) not in held else BLOCKED if held[(day, i)] is not None else TAKEN
                for i in range(len(units))
            ]
        grid.append(Day(day, cells))
    return Grid(room=room, units=[facility.unit_label(i) for i in range(len(units))], days=grid)


def bookers_of(*, user) -> QuerySet[Booker]:
    """The user's registrations; `renewal_asked` tells those already renewed (waiting or approved)."""
    asked = Booker.objects.filter(renews=OuterRef("pk")).exclude(state=Booker.State.REJECTED)
    return Booker.objects.filter(user=user).select_related("municipality").annotate(renewal_asked=Exists(asked))


def bookings_of(*, user, upcoming_from: dt.date | None = None) -> QuerySet[Booking]:
    """The user's bookings through any of their registrations, the coming ones first."""
    bookings = Booking.objects.filter(booker__user=user).select_related("room__facility__venue", "booker")
    if upcoming_from is not None:
        bookings = bookings.filter(date__gte=upcoming_from).exclude(state=Booking.State.CANCELLED)
    return bookings.order_by("date", "first_unit")


def booking_of(*, user, booking_id: int) -> Booking | None:
    return bookings_of(user=user).filter(pk=booking_id).first()


def wishes_of(*, user, lottery) -> QuerySet:
    return lottery.wishes.filter(booker__user=user).select_related("room", "booker", "booking").order_by("rank")


def lotteries_open(*, facility: Facility, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return facility.lottery_rounds.filter(closes_on__gte=today).order_by("month")


# --- staff --------------------------------------------------------------------------------------


def _folded(text: str) -> str:
    """Names as a person would compare them: width, case, spaces and 株式会社-style noise aside."""
    text = unicodedata.normalize("NFKC", text).casefold()
    for noise in (" ", "　", "・", "会", "の", "クラブ", "サークル", "club", "circle"):
        text = text.replace(noise, "")
    return text


def likely_duplicates(booker: Booker) -> list[tuple[Booker, list[str]]]:
    """Other registrations in the municipality that may be the same group under another name:
    the same representative, the same phone or email, or a near-identical name. With why. A
    renewal and the registration it renews are the same group by design, not a duplicate."""
    others = (
        Booker.objects.filter(municipality=booker.municipality)
        .exclude(pk=booker.pk)
        .exclude(pk=booker.renews_id)
        .exclude(renews=booker)
        .exclude(state=Booker.State.REJECTED)
    )
    phone = "".join(ch for ch in booker.phone if ch.isdigit())
    found = []
    # Every registration of the city is compared: a few thousand names at most, and a changed
    # name is exactly what a query on equal fields would miss.
    for other in others:
        reasons = []
        if other.representative.replace(" ", "") == booker.representative.replace(" ", ""):
            reasons.append("representative")
        if phone and "".join(ch for ch in other.phone if ch.isdigit()) == phone:
            reasons.append("phone")
        if other.email.lower() == booker.email.lower():
            reasons.append("email")
        if SequenceMatcher(None, _folded(other.name), _folded(booker.name)).ratio() >= 0.85:
            reasons.append("name")
        if reasons:
            found.append((other, reasons))
    return found


def facilities_managed(*, user) -> QuerySet[Facility]:
    from manabiya.core.selectors import coordinated_municipalities, member_organizations

    return facilities_public().filter(
        Q(municipality__in=coordinated_municipalities(user=user)) | Q(operator__in=member_organizations(user=user))
    )


def day_sheet(*, facility: Facility, day: dt.date) -> list[tuple[Room, list]]:
    """Each room's bookings and blocks on one day, for the counter."""
    rooms = list(facility.rooms.all())
    bookings = Booking.objects.filter(room__facility=facility, date=day).exclude(state=Booking.State.CANCELLED)
    bookings = bookings.select_related("booker")
    blocks = Block.objects.filter(room__facility=facility, date=day)
    by_room: dict[int, list] = {room.pk: [] for room in rooms}
    for item in [*bookings, *blocks]:
        by_room[item.room_id].append(item)
    return [(room, sorted(by_room[room.pk], key=lambda item: item.first_unit)) for room in rooms]


@dataclass(frozen=True)
class MonthRow:
    date: dt.date
    free: list[int | None]  # free units per room; None when closed or past


@dataclass(frozen=True)
class FacilityMonth:
    facility: Facility
    rooms: list[Room]
    units: int
    rows: list[MonthRow]


def facility_month(*, facility: Facility, month: dt.date, today: dt.date | None = None) -> FacilityMonth:
    """Free units of every room on every day of a month, for the facility's month view: one query
    over the held units (grouped by room and day in the database), however many bookings exist."""
    today = today or timezone.localdate()
    days = month_of(month)
    rooms = list(facility.rooms.all())
    units = len(facility.units())
    held = {
        (row["room_id"], row["date"]): row["n"]
        for row in HeldUnit.objects.filter(room__in=rooms, date__gte=days[0], date__lte=days[-1])
        .values("room_id", "date")
        # Counting a column of the unique index lets PostgreSQL answer from the index alone.
        .annotate(n=Count("unit"))
    }
    closed = set(facility.closed_days.filter(date__gte=days[0], date__lte=days[-1]).values_list("date", flat=True))
    rows = []
    for day in days:
        if day < today or day in closed or day.isoweekday() in facility.closed_weekdays:
            rows.append(MonthRow(day, [None] * len(rooms)))
        else:
            rows.append(MonthRow(day, [units - held.get((room.pk, day), 0) for room in rooms]))
    return FacilityMonth(facility=facility, rooms=rooms, units=units, rows=rows)
