"""The monthly lottery through the database: wishes in the window, a reproducible draw that keeps
caps, won bookings confirmed or lapsing, and first come only afterwards."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.facilities import lottery, selectors, services
from manabiya.facilities.models import Booking, HeldUnit, Wish

from .conftest import book, make_booker

pytestmark = pytest.mark.django_db

MONTH = dt.date(2027, 2, 1)
BEFORE_WINDOW = dt.date(2026, 12, 1)
IN_WINDOW = dt.date(2026, 12, 12)
AFTER_CLOSE = dt.date(2026, 12, 20)


@pytest.fixture(autouse=True)
def _in_english(english):
    """Assertions quote the English messages."""


@pytest.fixture
def lottery_round(hall, provider_member):
    return services.lottery_round_open(actor=provider_member, facility=hall, month=MONTH, today=BEFORE_WINDOW)


def open_days(hall, count):
    days, day = [], MONTH
    while len(days) < count:
        if day.isoweekday() not in hall.closed_weekdays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def wish(booker, lottery_round, room, day, *, rank=1, unit=2):
    return services.wish_submit(
        user=booker.user, booker=booker, lottery=lottery_round, rank=rank, room=room, date=day,
        first_unit=unit, last_unit=unit, purpose="定例会", attendees=10, today=IN_WINDOW,
    )  # fmt: skip


def test_the_calendar_is_the_10th_to_19th_two_months_ahead(lottery_round):
    assert (lottery_round.opens_on, lottery_round.closes_on, lottery_round.draw_on) == (
        dt.date(2026, 12, 10), dt.date(2026, 12, 19), dt.date(2026, 12, 20)
    )  # fmt: skip
    assert (lottery_round.confirm_by, lottery_round.first_come_on) == (dt.date(2026, 12, 31), dt.date(2027, 1, 1))


def test_wishes_are_taken_only_in_the_window_for_the_month_and_a_rank_replaces(group, room, hall, lottery_round):
    day = open_days(hall, 1)[0]
    with pytest.raises(RuleViolation, match="Wishes are taken from"):
        services.wish_submit(
            user=group.user, booker=group, lottery=lottery_round, rank=1, room=room, date=day,
            first_unit=0, last_unit=0, purpose="x", attendees=1, today=dt.date(2026, 12, 20),
        )  # fmt: skip
    with pytest.raises(RuleViolation, match="lottery's month"):
        wish(group, lottery_round, room, dt.date(2027, 3, 2))
    with pytest.raises(RuleViolation, match="1st, 2nd or 3rd"):
        wish(group, lottery_round, room, day, rank=4)
    wish(group, lottery_round, room, day, unit=0)
    wish(group, lottery_round, room, day, unit=1)
    assert list(Wish.objects.values_list("rank", "first_unit")) == [(1, 1)], "the same rank again replaces it"


def test_first_come_waits_for_the_lottery(group, room, hall, lottery_round):
    day = open_days(hall, 1)[0]
    with pytest.raises(RuleViolation, match="allotted by lottery first"):
        book(group, room, day, today=dt.date(2026, 12, 25))


def test_the_draw_is_reproducible_from_its_record_and_keeps_caps(koganei, coordinator, room, hall, lottery_round):
    days = open_days(hall, 6)
    groups = [make_booker(koganei, approve_by=coordinator) for _ in range(8)]
    for g in groups:  # everyone wants the same three evenings, plus three more of their own
        for rank in (1, 2, 3):
            wish(g, lottery_round, room, days[rank - 1], rank=rank)
    with pytest.raises(RuleViolation, match="after its wishes close"):
        services.lottery_draw(actor=None, lottery=lottery_round, now=_at(IN_WINDOW))
    drawn = services.lottery_draw(actor=None, lottery=lottery_round, now=_at(AFTER_CLOSE))
    assert drawn.algorithm == lottery.ALGORITHM and len(drawn.seed) == 64
    recorded = [
        lottery.Wish(
            w.pk, w.booker_id, w.rank, tuple((w.room_id, w.date, u) for u in range(w.first_unit, w.last_unit + 1))
        )
        for w in Wish.objects.all()
    ]
    again = lottery.draw(recorded, seed=drawn.seed, cap=None, caps={g.pk: 3 for g in groups})
    assert again.granted == drawn.granted and again.drawn_order == drawn.drawn_order
    won = Booking.objects.filter(state=Booking.State.WON)
    assert won.count() == 3 and HeldUnit.objects.filter(booking__in=won).count() == 3
    assert sorted(Wish.objects.filter(state="won").values_list("booking__date", flat=True)) == days[:3]
    with pytest.raises(RuleViolation, match="already been drawn"):
        services.lottery_draw(actor=None, lottery=lottery_round, now=_at(AFTER_CLOSE))


def test_existing_bookings_count_against_the_cap(group, room, hall, lottery_round, provider_member):
    days = open_days(hall, 4)
    for day in days[:3]:
        services.booking_create(
            actor=provider_member, booker=group, room=room, date=day, first_unit=0, last_unit=0,
            purpose="窓口", attendees=5, today=dt.date(2027, 1, 5),
        )  # fmt: skip
    wish(group, lottery_round, room, days[3])
    services.lottery_draw(actor=None, lottery=lottery_round, now=_at(AFTER_CLOSE))
    assert Wish.objects.get().state == Wish.State.LOST, "3 a month already: the cap is reached"


def test_a_winner_confirms_by_the_deadline_or_the_slot_reopens(koganei, coordinator, group, room, hall, lottery_round):
    day = open_days(hall, 1)[0]
    other = make_booker(koganei, approve_by=coordinator)
    wish(group, lottery_round, room, day, unit=1)
    wish(other, lottery_round, room, day, unit=2)
    services.lottery_draw(actor=None, lottery=lottery_round, now=_at(AFTER_CLOSE))
    mine, theirs = Booking.objects.get(booker=group), Booking.objects.get(booker=other)
    with pytest.raises(PermissionDenied):
        services.won_booking_confirm(actor=other.user, booking=mine)
    assert (
        services.won_booking_confirm(actor=group.user, booking=mine, today=dt.date(2026, 12, 30)).state == "confirmed"
    )
    assert services.won_bookings_expire(today=dt.date(2027, 1, 1)) == 1
    theirs.refresh_from_db()
    assert theirs.state == Booking.State.CANCELLED
    assert selectors.availability(room=room, days=[day], today=dt.date(2027, 1, 1)).days[0].cells == [
        "free",
        "taken",
        "free",
    ]


def test_the_tick_command_draws_due_lotteries(group, room, hall, lottery_round, monkeypatch):
    wish(group, lottery_round, room, open_days(hall, 1)[0])
    monkeypatch.setattr("django.utils.timezone.now", lambda: _at(AFTER_CLOSE))
    call_command("facilities_tick")
    lottery_round.refresh_from_db()
    assert lottery_round.drawn_at is not None and Wish.objects.get().state == Wish.State.WON


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(6)))


def test_from_the_pages_staff_open_a_lottery_a_group_wishes_staff_draw_and_the_winner_confirms(
    client, group, room, hall, provider_member, monkeypatch
):
    client.force_login(provider_member)
    url = reverse("facilities:staff_lotteries", args=[hall.pk])
    monkeypatch.setattr("django.utils.timezone.now", lambda: _at(BEFORE_WINDOW))
    client.post(url, {"month": "2027-02"})
    lottery_round = hall.lottery_rounds.get()
    client.force_login(group.user)
    monkeypatch.setattr("django.utils.timezone.now", lambda: _at(IN_WINDOW))
    assert (
        reverse("facilities:lottery", args=[lottery_round.pk])
        in client.get(reverse("facilities:detail", args=[hall.pk])).content.decode()
    )
    day = open_days(hall, 1)[0]
    response = client.post(
        reverse("facilities:lottery", args=[lottery_round.pk]),
        {"rank": 1, "booker": group.pk, "room": room.pk, "date": day.isoformat(), "first_unit": 2, "last_unit": 2,
         "purpose": "定例会", "attendees": 10},
    )  # fmt: skip
    assert response.status_code == 302 and Wish.objects.get().booker == group
    monkeypatch.setattr("django.utils.timezone.now", lambda: _at(AFTER_CLOSE))
    client.force_login(provider_member)
    client.post(url, {"action": "draw", "lottery": lottery_round.pk})
    lottery_round.refresh_from_db()
    assert lottery_round.drawn_at is not None and lottery_round.drawn_by == provider_member
    booking = Booking.objects.get(state=Booking.State.WON)
    client.force_login(group.user)
    assert reverse("facilities:confirm", args=[booking.pk]) in client.get(reverse("facilities:mine")).content.decode()
    client.post(reverse("facilities:confirm", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED


def test_every_booker_is_emailed_their_results(
    koganei, coordinator, group, room, hall, lottery_round, django_capture_on_commit_callbacks
):
    day = open_days(hall, 1)[0]
    other = make_booker(koganei, approve_by=coordinator)
    wish(group, lottery_round, room, day)
    wish(other, lottery_round, room, day)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.lottery_draw(actor=None, lottery=lottery_round, now=_at(AFTER_CLOSE))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([group.email, other.email])
    winner = Wish.objects.get(state="won").booker
    (won_mail,) = [m for m in mail.outbox if m.to == [winner.email]]
    assert "2026-12-31" in won_mail.body
