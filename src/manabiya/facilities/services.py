"""Writes of facility reservation: user registration, booking, cancelling, approving, blocking.

A booking's rules (who, how far ahead, how much notice, how many a month) are checked under the
booker's row lock, so two bookings by one group at once cannot both pass the monthly cap. Whether
the room is free is not checked first at all: the booking inserts its `HeldUnit` rows and the
database's unique key refuses a unit someone else holds (`docs/capacity-and-locking.md`).
"""

import datetime as dt
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from manabiya.core.audit import log_action
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.japan import fiscal_year_end
from manabiya.core.models import Municipality, User
from manabiya.core.selectors import is_coordinator_of, is_member_of
from manabiya.core.sql import insert_rows

from . import lottery as lottery_algorithm
from .models import Block, Booker, Booking, Facility, HeldUnit, LotteryRound, Room, Watch, Wish


def can_manage_facility(*, user, facility: Facility) -> bool:
    """The municipality's coordinators, and the staff of the organization running the building."""
    if is_coordinator_of(user=user, municipality_id=facility.municipality_id):
        return True
    return facility.operator_id is not None and is_member_of(user=user, organization_id=facility.operator_id)


def _require_staff(actor: User, facility: Facility) -> None:
    if not can_manage_facility(user=actor, facility=facility):
        raise PermissionDenied(_("Only the facility's staff can do this."))


# --- user registration (利用者登録) -------------------------------------------------------------


def booker_register(*, user: User, municipality: Municipality, **fields) -> Booker:
    """A registration waiting for staff approval. A group needs half its members to live, work
    or study in the city, the rule most municipalities keep."""
    if fields.get("kind") == Booker.Kind.GROUP:
        members, in_city = fields.get("members", 0), fields.get("members_in_city", 0)
        if members < 2:
            raise RuleViolation(_("A group has at least 2 members."), field="members")
        if in_city > members:
            raise RuleViolation(_("More members in the city than members in all."), field="members_in_city")
        if in_city * 2 < members:
            raise RuleViolation(
                _("At least half of a group's members must live, work or study in the city."), field="members_in_city"
            )
        fields["resident"] = True
    else:
        fields["members"], fields["members_in_city"] = 1, 1 if fields.get("resident", True) else 0
    booker = Booker.objects.create(user=user, municipality=municipality, **fields)
    log_action(actor=user, action="facilities.booker.register", target=booker, municipality=municipality)
    return booker


def booker_decide(*, actor: User, booker: Booker, approve: bool, reason: str = "", today=None) -> Booker:
    if not is_coordinator_of(user=actor, municipality_id=booker.municipality_id) and not any(
        can_manage_facility(user=actor, facility=f) for f in Facility.objects.filter(municipality=booker.municipality)
    ):
        raise PermissionDenied(_("Only the facility's staff can do this."))
    if not approve and not reason.strip():
        raise RuleViolation(_("Say why the registration is not approved."), field="reason")
    today = today or timezone.localdate()
    booker.state = Booker.State.APPROVED if approve else Booker.State.REJECTED
    booker.valid_until = _valid_until(booker, today) if approve else None
    booker.decided_by, booker.decision_reason = actor, reason
    booker.save(update_fields=["state", "valid_until", "decided_by", "decision_reason", "updated_at"])
    log_action(
        actor=actor,
        action=f"facilities.booker.{booker.state}",
        target=booker,
        municipality=booker.municipality,
        reason=reason,
    )
    return booker


def _valid_until(booker: Booker, today: dt.date) -> dt.date:
    """The end of the fiscal year; a renewal approved before the registration it renews ends
    takes the fiscal year after that one."""
    renewed = booker.renews
    if renewed is not None and renewed.valid_until is not None and renewed.valid_until >= today:
        return fiscal_year_end(renewed.valid_until + dt.timedelta(days=1))
    return fiscal_year_end(today)


# --- bookings -----------------------------------------------------------------------------------


def _check_units(facility: Facility, day: dt.date, first_unit: int, last_unit: int) -> None:
    if not 0 <= first_unit <= last_unit < len(facility.units()):
        raise RuleViolation(_("Choose booking units the facility has."), field="last_unit")
    if day.isoweekday() in facility.closed_weekdays or facility.closed_days.filter(date=day).exists():
        raise RuleViolation(_("The facility is closed on that day."), field="date")


def _check_lottery_first(facility: Facility, day: dt.date, today: dt.date) -> None:
    """A month with a lottery opens first come only after its winners have confirmed, for staff too."""
    lottery = _lottery_for(facility, day)
    if lottery is not None and today < lottery.first_come_on:
        raise RuleViolation(
            _("That month is allotted by lottery first; booking opens on %(date)s.") % {"date": lottery.first_come_on},
            field="date",
        )


def _check_window(facility: Facility, booker: Booker, day: dt.date, today: dt.date) -> None:
    ahead = booker.days_ahead(facility)
    if day > today + dt.timedelta(days=ahead):
        raise RuleViolation(
            _("Bookings open %(days)s days ahead: %(date)s is not open yet.") % {"days": ahead, "date": day},
            field="date",
        )
    if day < today + dt.timedelta(days=facility.min_notice_days):
        raise RuleViolation(_("Book at least %(days)s days ahead.") % {"days": facility.min_notice_days}, field="date")


def _check_cap(facility: Facility, booker: Booker, day: dt.date) -> None:
    if facility.monthly_cap is None:
        return
    month = Booking.objects.filter(
        booker=booker,
        room__facility=facility,
        date__year=day.year,
        date__month=day.month,
        state__in=[Booking.State.PROVISIONAL, Booking.State.CONFIRMED],
    )
    if month.count() >= facility.monthly_cap:
        raise RuleViolation(
            _("%(name)s already has %(n)s bookings here in that month, the most allowed.")
            % {"name": booker.name, "n": facility.monthly_cap},
            field="date",
        )


def booking_fee(room: Room, booker: Booker, first_unit: int, last_unit: int, *, commercial: bool = False) -> int:
    return room.fee_for("commercial" if commercial else booker.rate, first_unit, last_unit)


def booking_create(
    *,
    actor: User,
    booker: Booker,
    room: Room,
    date: dt.date,
    first_unit: int,
    last_unit: int,
    purpose: str,
    attendees: int,
    commercial: bool = False,
    today: dt.date | None = None,
) -> Booking:
    """Book `room` for units first..last of `date`. Staff at the counter may book for any
    registered user; a citizen books for their own registrations."""
    facility = room.facility
    at_counter = booker.user_id != actor.pk
    if at_counter:
        _require_staff(actor, facility)
    today = today or timezone.localdate()
    if date < today:
        raise RuleViolation(_("%(date)s has passed: choose a day from today on.") % {"date": date}, field="date")
    if booker.municipality_id != facility.municipality_id or not booker.is_valid_on(date):
        raise RuleViolation(_("This registration cannot book here on that date."), field="booker")
    if attendees > room.capacity:
        raise RuleViolation(_("The room holds %(n)s people.") % {"n": room.capacity}, field="attendees")
    _check_units(facility, date, first_unit, last_unit)
    _check_lottery_first(facility, date, today)
    if not at_counter:
        _check_window(facility, booker, date, today)
    with transaction.atomic():
        # The booker's row lock serialises one user's bookings, so the monthly cap holds.
        Booker.objects.select_for_update().get(pk=booker.pk)
        _check_cap(facility, booker, date)
        booking = Booking.objects.create(
            room=room,
            booker=booker,
            date=date,
            first_unit=first_unit,
            last_unit=last_unit,
            state=Booking.State.PROVISIONAL if room.needs_approval else Booking.State.CONFIRMED,
            rate="commercial" if commercial else booker.rate,
            fee=booking_fee(room, booker, first_unit, last_unit, commercial=commercial),
            purpose=purpose,
            attendees=attendees,
            booked_by=actor,
            at_counter=at_counter,
        )
        _hold(room, date, first_unit, last_unit, booking=booking)
        log_action(actor=actor, action="facilities.booking.create", target=booking, municipality=facility.municipality)
        _tell(booking)
    return booking


def _tell(booking: Booking) -> None:
    """Email the booker the booking's receipt once the transaction commits."""
    from .tasks import send_booking_email

    booking_id = booking.pk
    transaction.on_commit(lambda: send_booking_email.enqueue(booking_id=booking_id))


def _hold(room: Room, day: dt.date, first_unit: int, last_unit: int, **holder) -> None:
    """Insert the held units; the unique key refuses any someone else holds. Call inside atomic()."""
    try:
        with transaction.atomic():
            HeldUnit.objects.bulk_create(
                [HeldUnit(room=room, date=day, unit=unit, **holder) for unit in range(first_unit, last_unit + 1)]
            )
    except IntegrityError:
        raise RuleViolation(
            _("Sorry, that time is already taken. Please choose another."), field="first_unit"
        ) from None


def watch_add(*, user: User, room: Room, date: dt.date, unit: int, today: dt.date | None = None) -> Watch:
    """Ask to be told by email when a taken unit frees up."""
    today = today or timezone.localdate()
    if date < today or not 0 <= unit < len(room.facility.units()):
        raise RuleViolation(_("Choose a time slot still to come."))
    watch, _created = Watch.objects.get_or_create(user=user, room=room, date=date, unit=unit)
    return watch


def _released(room: Room, day: dt.date, first_unit: int, last_unit: int) -> None:
    """Units came free: tell who watches them, once the transaction commits. Call inside atomic()."""
    watches = Watch.objects.filter(room=room, date=day, unit__gte=first_unit, unit__lte=last_unit)
    ids = list(watches.values_list("pk", flat=True))
    if ids:
        from .tasks import send_freed_emails

        transaction.on_commit(lambda: send_freed_emails.enqueue(watch_ids=ids))


def booking_cancel(
    *, actor: User, booking: Booking, reason: str = "", today: dt.date | None = None, now=None
) -> Booking:
    """Cancel and free the units at once. Users cancel up to the facility's deadline; staff any
    time, and the booker is told (with `reason`) when it was not them."""
    facility = booking.room.facility
    staff = can_manage_facility(user=actor, facility=facility)
    if booking.booker.user_id != actor.pk and not staff:
        raise PermissionDenied(_("This is not your booking."))
    today = today or timezone.localdate()
    if not staff and booking.date < today + dt.timedelta(days=facility.cancel_days_before):
        raise RuleViolation(
            _("Cancel at least %(days)s days before; please call the facility.") % {"days": facility.cancel_days_before}
        )
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.state == Booking.State.CANCELLED:
            raise RuleViolation(_("This booking is already cancelled."))
        _cancel(locked, actor=actor, reason=reason, now=now)
    return locked


def _cancel(booking: Booking, *, actor: User, reason: str, now=None) -> None:
    """Cancel a booking locked by the caller, inside its transaction."""
    booking.held_units.all().delete()
    booking.state, booking.cancelled_at = Booking.State.CANCELLED, now or timezone.now()
    booking.save(update_fields=["state", "cancelled_at", "updated_at"])
    _released(booking.room, booking.date, booking.first_unit, booking.last_unit)
    log_action(
        actor=actor,
        action="facilities.booking.cancel",
        target=booking,
        municipality=booking.room.facility.municipality,
        reason=reason,
    )
    if booking.booker.user_id != actor.pk:
        from .tasks import send_cancelled_email

        booking_id = booking.pk
        transaction.on_commit(lambda: send_cancelled_email.enqueue(booking_id=booking_id, reason=reason))


def booking_approve(*, actor: User, booking: Booking) -> Booking:
    """A provisional booking (仮予約) becomes confirmed (本予約)."""
    _require_staff(actor, booking.room.facility)
    updated = Booking.objects.filter(pk=booking.pk, state=Booking.State.PROVISIONAL).update(
        state=Booking.State.CONFIRMED, updated_at=timezone.now()
    )
    if not updated:
        raise RuleViolation(_("Only a provisional booking can be approved."))
    log_action(actor=actor, action="facilities.booking.approve", target=booking)
    booking.refresh_from_db()
    return booking


def booking_mark_paid(*, actor: User, booking: Booking, now=None) -> Booking:
    """The fee was paid at the counter."""
    _require_staff(actor, booking.room.facility)
    booking.paid_at = now or timezone.now()
    booking.save(update_fields=["paid_at", "updated_at"])
    log_action(actor=actor, action="facilities.booking.paid", target=booking)
    return booking


def block_create(
    *,
    actor: User,
    room: Room,
    date: dt.date,
    first_unit: int,
    last_unit: int,
    reason: str,
    cancel_bookings: bool = False,
) -> Block:
    """Hold a room for maintenance or a city event. Units already booked are refused, naming the
    bookings in the way, unless `cancel_bookings`: then those bookings are cancelled in the same
    transaction and each booker is told why."""
    _require_staff(actor, room.facility)
    if not reason.strip():
        raise RuleViolation(_("Say why the room is blocked."), field="reason")
    _check_units(room.facility, date, first_unit, last_unit)
    with transaction.atomic():
        held = HeldUnit.objects.filter(room=room, date=date, unit__gte=first_unit, unit__lte=last_unit)
        in_the_way = list(
            Booking.objects.select_for_update(of=("self",))
            .filter(pk__in=held.filter(booking__isnull=False).values("booking_id"))
            .select_related("booker", "room__facility")
            .order_by("first_unit")
        )
        if in_the_way and not cancel_bookings:
            names = ", ".join(f"{', '.join(b.unit_labels)} {b.booker.name} ({b.booker.phone})" for b in in_the_way)
            raise RuleViolation(
                _("Already booked: %(bookings)s. Call them, or tick the box to cancel these bookings and block.")
                % {"bookings": names},
                field="cancel_bookings",
            )
        for booking in in_the_way:
            _cancel(booking, actor=actor, reason=reason)
        block = Block.objects.create(
            room=room, date=date, first_unit=first_unit, last_unit=last_unit, reason=reason, created_by=actor
        )
        _hold(room, date, first_unit, last_unit, block=block)
        log_action(actor=actor, action="facilities.block.create", target=block, reason=reason)
    return block


def block_remove(*, actor: User, block: Block) -> None:
    _require_staff(actor, block.room.facility)
    with transaction.atomic():
        log_action(actor=actor, action="facilities.block.remove", target=block)
        _released(block.room, block.date, block.first_unit, block.last_unit)
        block.delete()


# --- the monthly lottery (抽選申込) -------------------------------------------------------------


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


# How far ahead a lottery round may be opened: a year of months.
LOTTERY_MONTHS_AHEAD = 12


def lottery_round_open(
    *, actor: User, facility: Facility, month: dt.date, today: dt.date | None = None
) -> LotteryRound:
    """The lottery for `month`, on the calendar many cities keep (Kodaira's, for one): wishes from
    the 10th to the 19th two months before, the draw on the 20th, winners confirm by that month's
    end, and what is left opens first come on the 1st of the month before. Only for a month whose
    wishes are still to close, at most LOTTERY_MONTHS_AHEAD months ahead."""
    _require_staff(actor, facility)
    today = today or timezone.localdate()
    month = month.replace(day=1)
    two_before = (month - dt.timedelta(days=1)).replace(day=1) - dt.timedelta(days=1)
    two_before = two_before.replace(day=1)
    if two_before.replace(day=19) < today:
        raise RuleViolation(
            _("Wishes for %(month)s closed on %(date)s: choose a later month.")
            % {"month": month.strftime("%Y-%m"), "date": two_before.replace(day=19)},
            field="month",
        )
    months = today.year * 12 + today.month - 1 + LOTTERY_MONTHS_AHEAD
    if month > dt.date(months // 12, months % 12 + 1, 1):
        raise RuleViolation(
            _("Open a lottery at most %(n)s months ahead.") % {"n": LOTTERY_MONTHS_AHEAD}, field="month"
        )
    lottery, _created = LotteryRound.objects.get_or_create(
        facility=facility,
        month=month,
        defaults={
            "opens_on": two_before.replace(day=10),
            "closes_on": two_before.replace(day=19),
            "draw_on": two_before.replace(day=20),
            "confirm_by": _month_end(two_before),
            "first_come_on": _month_end(two_before) + dt.timedelta(days=1),
        },
    )
    log_action(actor=actor, action="facilities.lottery.open", target=lottery, municipality=facility.municipality)
    return lottery


def _lottery_for(facility: Facility, day: dt.date) -> LotteryRound | None:
    return LotteryRound.objects.filter(facility=facility, month=day.replace(day=1)).first()


def wish_submit(
    *,
    user: User,
    booker: Booker,
    lottery: LotteryRound,
    rank: int,
    room: Room,
    date: dt.date,
    first_unit: int,
    last_unit: int,
    purpose: str,
    attendees: int,
    today: dt.date | None = None,
) -> Wish:
    """Enter (or replace) the booker's wish of `rank` while the lottery takes wishes."""
    today = today or timezone.localdate()
    facility = lottery.facility
    if booker.user_id != user.pk:
        raise PermissionDenied(_("This is not your registration."))
    if rank not in (1, 2, 3):
        raise RuleViolation(_("Give a 1st, 2nd or 3rd wish."), field="rank")
    if not lottery.opens_on <= today <= lottery.closes_on:
        raise RuleViolation(
            _("Wishes are taken from %(start)s to %(end)s.") % {"start": lottery.opens_on, "end": lottery.closes_on}
        )
    if room.facility_id != facility.pk or (date.year, date.month) != (lottery.month.year, lottery.month.month):
        raise RuleViolation(_("Choose a room of this facility and a date in the lottery's month."), field="date")
    if booker.municipality_id != facility.municipality_id or not booker.is_valid_on(date):
        raise RuleViolation(_("This registration cannot book here on that date."), field="booker")
    if attendees > room.capacity:
        raise RuleViolation(_("The room holds %(n)s people.") % {"n": room.capacity}, field="attendees")
    _check_units(facility, date, first_unit, last_unit)
    wish, _created = Wish.objects.update_or_create(
        lottery=lottery,
        booker=booker,
        rank=rank,
        defaults={
            "room": room, "date": date, "first_unit": first_unit, "last_unit": last_unit, "purpose": purpose,
            "attendees": attendees, "state": Wish.State.ENTERED,
        },
    )  # fmt: skip
    log_action(actor=user, action="facilities.wish.submit", target=wish)
    return wish


def lottery_draw(*, actor: User | None, lottery: LotteryRound, seed: str | None = None, now=None) -> LotteryRound:
    """Draw once the wishes have closed: winners hold their units as won bookings to confirm by
    the deadline; the record (seed, algorithm, order, granted wishes) repeats the draw."""
    now = now or timezone.now()
    facility = lottery.facility
    if actor is not None:
        _require_staff(actor, facility)
    with transaction.atomic():
        locked = LotteryRound.objects.select_for_update().get(pk=lottery.pk)
        if locked.drawn_at is not None:
            raise RuleViolation(_("This lottery has already been drawn."))
        if timezone.localdate(now) <= locked.closes_on:
            raise RuleViolation(_("The lottery is drawn after its wishes close."))
        month_end = _month_end(locked.month)
        # Plain rows, not model instances: a month's draw reads tens of thousands of wishes.
        wishes = [
            DrawnWish(*row, rate=Booker.rate_of(kind=kind, resident=resident))
            for *row, kind, resident in locked.wishes.values_list(
                "pk", "booker_id", "rank", "room_id", "date", "first_unit", "last_unit",
                "purpose", "attendees", "booker__user_id", "booker__kind", "booker__resident",
            )
        ]  # fmt: skip
        taken = HeldUnit.objects.filter(room__facility=facility, date__gte=locked.month, date__lte=month_end)
        existing = _bookings_per_booker(facility, locked.month, month_end)
        caps = {
            w.booker_id: max((facility.monthly_cap or 0) - existing.get(w.booker_id, 0), 0)
            for w in wishes
            if facility.monthly_cap is not None
        }
        seed = seed or lottery_algorithm.new_seed()
        result = lottery_algorithm.draw(
            [
                lottery_algorithm.Wish(
                    wish_id=w.pk,
                    applicant=w.booker_id,
                    rank=w.rank,
                    units=tuple((w.room_id, w.date, unit) for unit in range(w.first_unit, w.last_unit + 1)),
                )
                for w in wishes
            ],
            seed=seed,
            cap=None,
            caps=caps,
            taken=((room_id, date, unit) for room_id, date, unit in taken.values_list("room_id", "date", "unit")),
        )
        granted = set(result.granted)
        _won_bookings(locked, [w for w in wishes if w.pk in granted], now=now)
        locked.algorithm, locked.seed = result.algorithm, seed
        locked.drawn_order, locked.granted = result.drawn_order, result.granted
        locked.drawn_at, locked.drawn_by = now, actor
        locked.save()
        log_action(
            actor=actor,
            action="facilities.lottery.draw",
            target=locked,
            municipality=facility.municipality,
            data={"wishes": len(wishes), "granted": len(granted), "seed": seed},
        )
        from .tasks import send_lottery_results_task

        transaction.on_commit(lambda: send_lottery_results_task.enqueue(lottery_id=locked.pk))
    return locked


def _bookings_per_booker(facility: Facility, first: dt.date, last: dt.date) -> dict[int, int]:
    rows = (
        Booking.objects.filter(room__facility=facility, date__gte=first, date__lte=last)
        .exclude(state=Booking.State.CANCELLED)
        .values("booker_id")
        .annotate(n=Count("pk"))
    )
    return {row["booker_id"]: row["n"] for row in rows}


class DrawnWish(NamedTuple):
    """A wish as the draw reads it."""

    pk: int
    booker_id: int
    rank: int
    room_id: int
    date: dt.date
    first_unit: int
    last_unit: int
    purpose: str
    attendees: int
    user_id: int
    rate: str


def _won_bookings(lottery: LotteryRound, won: list[DrawnWish], *, now) -> None:
    """The winners' bookings, their held units and the wishes' outcomes, in a few statements
    whatever the number of wishes (a month's draw has tens of thousands). Call inside the draw's
    transaction."""
    rooms = {room.pk: room for room in Room.objects.filter(facility=lottery.facility)}
    booking_ids = insert_rows(
        Booking,
        fields=[
            "room", "booker", "date", "first_unit", "last_unit", "rate", "fee", "purpose", "attendees", "booked_by",
            "wish",
        ],
        rows=[
            (
                w.room_id, w.booker_id, w.date, w.first_unit, w.last_unit, w.rate,
                rooms[w.room_id].fee_for(w.rate, w.first_unit, w.last_unit), w.purpose, w.attendees, w.user_id,
                w.pk,
            )
            for w in won
        ],
        same={"state": Booking.State.WON, "confirm_by": lottery.confirm_by, "created_at": now, "updated_at": now},
    )  # fmt: skip
    # The algorithm gives no unit twice and none already held; if it ever did, the unique key
    # would roll the whole draw back rather than double-book.
    insert_rows(
        HeldUnit,
        fields=["room", "date", "unit", "booking"],
        rows=[
            (w.room_id, w.date, unit, booking_id)
            for w, booking_id in zip(won, booking_ids, strict=True)
            for unit in range(w.first_unit, w.last_unit + 1)
        ],
    )
    # Only the wishes' unindexed columns change, each wish once (see Booking.wish).
    lottery.wishes.filter(booking__isnull=False).update(state=Wish.State.WON, updated_at=now)
    lottery.wishes.filter(state=Wish.State.ENTERED).update(state=Wish.State.LOST, updated_at=now)


def won_booking_confirm(*, actor: User, booking: Booking, today: dt.date | None = None) -> Booking:
    """The winner takes the slot up before the deadline (a room that needs approval then waits for staff)."""
    today = today or timezone.localdate()
    if booking.booker.user_id != actor.pk:
        raise PermissionDenied(_("This is not your booking."))
    if booking.state != Booking.State.WON:
        raise RuleViolation(_("There is nothing to confirm for this booking."))
    if booking.confirm_by is not None and today > booking.confirm_by:
        raise RuleViolation(_("The time to confirm has passed."))
    booking.state = Booking.State.PROVISIONAL if booking.room.needs_approval else Booking.State.CONFIRMED
    booking.save(update_fields=["state", "updated_at"])
    log_action(actor=actor, action="facilities.booking.confirm", target=booking)
    return booking


def won_bookings_expire(*, today: dt.date | None = None, now=None) -> int:
    """Won bookings not confirmed in time lapse, and their units open for first come."""
    today = today or timezone.localdate()
    lapsed = list(Booking.objects.filter(state=Booking.State.WON, confirm_by__lt=today))
    for booking in lapsed:
        with transaction.atomic():
            booking.held_units.all().delete()
            booking.state, booking.cancelled_at = Booking.State.CANCELLED, now or timezone.now()
            booking.save(update_fields=["state", "cancelled_at", "updated_at"])
            _released(booking.room, booking.date, booking.first_unit, booking.last_unit)
            log_action(actor=None, action="facilities.booking.expire", target=booking)
    return len(lapsed)


def lotteries_due(*, today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(LotteryRound.objects.filter(draw_on__lte=today, drawn_at__isnull=True).values_list("pk", flat=True))


def renewals_remind(*, today: dt.date | None = None, within_days: int = 30) -> int:
    """Remind approved registrations that end within `within_days` (with the fiscal year) to renew,
    once each. Returns how many were reminded."""
    today = today or timezone.localdate()
    due = Booker.objects.filter(
        state=Booker.State.APPROVED, valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=within_days)
    ).exclude(renewal_reminded_on__gte=today - dt.timedelta(days=within_days))
    ids = list(due.values_list("pk", flat=True))
    if ids:
        from .tasks import send_renewal_emails

        Booker.objects.filter(pk__in=ids).update(renewal_reminded_on=today)
        transaction.on_commit(lambda: send_renewal_emails.enqueue(booker_ids=ids))
    return len(ids)


def booker_renew(*, user: User, booker: Booker, today: dt.date | None = None) -> Booker:
    """Ask again for the next fiscal year, with the same details: staff approve it as a new one."""
    if booker.user_id != user.pk:
        raise PermissionDenied(_("This is not your registration."))
    if not booker.renewable_on(today or timezone.localdate()):
        raise RuleViolation(_("A registration can be renewed in the two months before it ends."))
    with transaction.atomic():
        locked = Booker.objects.select_for_update().get(pk=booker.pk)
        if locked.renewals.exclude(state=Booker.State.REJECTED).exists():  # a second click, a retry
            raise RuleViolation(_("This registration has already been renewed."))
        fields = {field: getattr(locked, field) for field in Booker.DETAILS}
        return booker_register(user=user, municipality=locked.municipality, renews=locked, **fields)
