"""Registration, booking rules, fees, cancellation and blocks."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.japan import fiscal_year_end
from manabiya.facilities import selectors, services
from manabiya.facilities.models import Booker, Booking, HeldUnit

from .conftest import book, make_booker, next_open_day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    """Assertions quote the English messages."""


def test_a_group_needs_half_its_members_in_the_city(koganei):
    with pytest.raises(RuleViolation, match="half"):
        make_booker(koganei, members=10, members_in_city=4)
    with pytest.raises(RuleViolation, match="at least 2"):
        make_booker(koganei, members=1, members_in_city=1)
    assert make_booker(koganei, members=10, members_in_city=5).state == Booker.State.PENDING


def test_approval_lasts_to_the_end_of_the_fiscal_year_and_refusal_says_why(koganei, coordinator):
    booker = make_booker(koganei)
    with pytest.raises(RuleViolation, match="Say why"):
        services.booker_decide(actor=coordinator, booker=booker, approve=False)
    approved = services.booker_decide(actor=coordinator, booker=booker, approve=True, today=dt.date(2026, 12, 7))
    assert approved.valid_until == dt.date(2027, 3, 31) == fiscal_year_end(dt.date(2026, 12, 7))
    assert fiscal_year_end(dt.date(2027, 4, 1)) == dt.date(2028, 3, 31)


def test_a_citizen_cannot_approve_registrations(koganei):
    booker = make_booker(koganei)
    with pytest.raises(PermissionDenied):
        services.booker_decide(actor=booker.user, booker=booker, approve=True)


def test_likely_duplicate_groups_are_flagged_with_why(koganei, coordinator):
    first = make_booker(
        koganei, name="小金井囲碁クラブ", representative="山田 太郎", phone="042-111-2222", approve_by=coordinator
    )
    same_rep = make_booker(koganei, name="こがねい碁友会", representative="山田太郎")
    renamed = make_booker(koganei, name="小金井　囲碁クラブ", representative="佐藤 花子")
    same_phone = make_booker(koganei, name="全く別の会", representative="鈴木 一郎", phone="0421112222")
    unrelated = make_booker(koganei, name="緑町テニス同好会", representative="高橋 次郎")
    assert {other.pk: why for other, why in selectors.likely_duplicates(same_rep)}[first.pk] == ["representative"]
    assert {other.pk: why for other, why in selectors.likely_duplicates(renamed)}[first.pk] == ["name"]
    assert {other.pk: why for other, why in selectors.likely_duplicates(same_phone)}[first.pk] == ["phone"]
    assert selectors.likely_duplicates(unrelated) == []


def test_a_booking_holds_its_units_shows_its_fee_and_frees_them_on_cancel(group, room, hall):
    day = next_open_day(hall)
    booking = book(group, room, day, first=0, last=1)
    assert (booking.state, booking.rate, booking.fee) == (Booking.State.CONFIRMED, "group", 1000)
    assert sorted(HeldUnit.objects.filter(booking=booking).values_list("unit", flat=True)) == [0, 1]
    grid = selectors.availability(room=room, days=[day])
    assert grid.days[0].cells == ["taken", "taken", "free"]
    services.booking_cancel(actor=group.user, booking=booking)
    assert selectors.availability(room=room, days=[day]).days[0].cells == ["free", "free", "free"]
    assert book(group, room, day, first=1).state == Booking.State.CONFIRMED, "the freed unit books again"


def test_the_same_or_an_overlapping_slot_is_refused(koganei, coordinator, group, gym):
    day = next_open_day(gym.facility)
    book(group, gym, day, first=2, last=4)  # 11:00–14:00
    other = make_booker(koganei, approve_by=coordinator)
    for first, last in ((2, 4), (4, 5), (0, 2), (3, 3)):
        with pytest.raises(RuleViolation, match="already taken"):
            book(other, gym, day, first=first, last=last)
    assert book(other, gym, day, first=5, last=6).first_unit == 5, "the hour after is free"


def test_closed_days_units_and_capacity_are_checked(group, room, hall):
    monday = next_open_day(hall) + dt.timedelta(days=7)
    monday -= dt.timedelta(days=monday.isoweekday() - 1)
    with pytest.raises(RuleViolation, match="closed"):
        book(group, room, monday)
    day = next_open_day(hall)
    hall.closed_days.create(date=day, reason="館内点検")
    with pytest.raises(RuleViolation, match="closed"):
        book(group, room, day)
    with pytest.raises(RuleViolation, match="units the facility has"):
        book(group, room, day + dt.timedelta(days=1), first=2, last=3)
    with pytest.raises(RuleViolation, match="holds 30"):
        book(group, room, next_open_day(hall, after_days=9), attendees=31)


def test_how_far_ahead_and_how_much_notice(koganei, coordinator, group, room, hall):
    today = timezone.localdate()
    hall.closed_weekdays = []  # so that today is open whatever day the test runs
    hall.save()
    with pytest.raises(RuleViolation, match="not open yet"):
        book(group, room, next_open_day(hall, after_days=61))
    with pytest.raises(RuleViolation, match="at least 1 days ahead"):
        book(group, room, today)
    visitor = make_booker(koganei, kind="individual", resident=False, approve_by=coordinator)
    assert visitor.rate == "non_resident"
    with pytest.raises(RuleViolation, match="30 days"):
        book(visitor, room, next_open_day(hall, after_days=40))
    assert book(visitor, room, next_open_day(hall, after_days=20)).fee == 1200


def test_the_monthly_cap_counts_a_groups_bookings(group, room, hall):
    day = next_open_day(hall, after_days=1)
    days = [d for d in (day + dt.timedelta(days=i) for i in range(40)) if d.isoweekday() != 1]
    month = [d for d in days if (d.year, d.month) == (days[0].year, days[0].month)][:4]
    if len(month) < 4:  # near a month's end: the next month then
        month = [d for d in days if (d.year, d.month) != (days[0].year, days[0].month)][:4]
    for d in month[:3]:
        book(group, room, d)
    with pytest.raises(RuleViolation, match="most allowed"):
        book(group, room, month[3])


def test_a_registration_past_its_fiscal_year_or_not_approved_cannot_book(koganei, room, hall):
    pending = make_booker(koganei)
    with pytest.raises(RuleViolation, match="cannot book"):
        book(pending, room, next_open_day(hall))


def test_staff_book_for_a_caller_and_citizens_only_for_themselves(
    koganei, coordinator, provider_member, group, room, hall
):
    day = next_open_day(hall)
    counter = book(group, room, day, actor=provider_member)
    assert counter.at_counter and counter.booked_by == provider_member
    stranger = make_booker(koganei, approve_by=coordinator)
    with pytest.raises(PermissionDenied):
        book(group, room, day, first=1, actor=stranger.user)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=stranger.user, booking=counter)


def test_citizens_cancel_up_to_the_deadline_staff_any_time_and_the_booker_is_told(
    group, room, hall, provider_member, django_capture_on_commit_callbacks
):
    soon = next_open_day(hall, after_days=2)
    booking = book(group, room, soon)
    with pytest.raises(RuleViolation, match="3 days before"):
        services.booking_cancel(actor=group.user, booking=booking)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=provider_member, booking=booking, reason="給水管の工事")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED and not booking.held_units.exists()
    (notice,) = mail.outbox
    assert notice.to == [group.email] and "給水管の工事" in notice.body and room.name in notice.subject
    later = book(group, room, next_open_day(hall, after_days=10))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=group.user, booking=later)
    assert mail.outbox == [], "who cancelled it themselves needs no notice"


def test_a_block_can_cancel_the_bookings_in_its_way_and_tell_each_booker(
    koganei, coordinator, group, room, hall, provider_member, django_capture_on_commit_callbacks
):
    day = next_open_day(hall)
    other = make_booker(koganei, name="小金井俳句会", approve_by=coordinator)
    first, second = book(group, room, day, first=0), book(other, room, day, first=2)
    untouched = book(other, room, next_open_day(hall, after_days=14), first=0)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.block_create(
            actor=provider_member, room=room, date=day, first_unit=0, last_unit=2, reason="選挙の投票所",
            cancel_bookings=True,
        )  # fmt: skip
    states = dict(Booking.objects.values_list("pk", "state"))
    assert states == {first.pk: "cancelled", second.pk: "cancelled", untouched.pk: untouched.state}
    assert selectors.availability(room=room, days=[day]).days[0].cells == ["blocked"] * 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted([group.email, other.email])
    assert all("選挙の投票所" in m.body for m in mail.outbox)


def test_a_room_needing_approval_books_provisionally_until_staff_confirm(group, room, hall, provider_member):
    room.needs_approval = True
    room.save()
    booking = book(group, room, next_open_day(hall))
    assert booking.state == Booking.State.PROVISIONAL
    with pytest.raises(PermissionDenied):
        services.booking_approve(actor=group.user, booking=booking)
    assert services.booking_approve(actor=provider_member, booking=booking).state == Booking.State.CONFIRMED
    assert services.booking_mark_paid(actor=provider_member, booking=booking).paid_at is not None


def test_a_block_holds_units_against_bookings_and_is_refused_over_one(group, room, hall, provider_member):
    day = next_open_day(hall)
    book(group, room, day, first=0)
    with pytest.raises(RuleViolation, match=f"Already booked: .*{group.name}") as refused:
        services.block_create(actor=provider_member, room=room, date=day, first_unit=0, last_unit=2, reason="点検")
    assert refused.value.field == "cancel_bookings" and not HeldUnit.objects.filter(block__isnull=False).exists()
    block = services.block_create(actor=provider_member, room=room, date=day, first_unit=1, last_unit=2, reason="点検")
    assert selectors.availability(room=room, days=[day]).days[0].cells == ["taken", "blocked", "blocked"]
    with pytest.raises(RuleViolation, match="already taken"):
        book(group, room, day, first=2)
    services.block_remove(actor=provider_member, block=block)
    assert book(group, room, day, first=2).first_unit == 2


def test_availability_of_a_month_reads_in_a_fixed_number_of_queries(group, room, hall, django_assert_max_num_queries):
    day = next_open_day(hall)
    for offset in range(0, 3):
        book(group, room, day + dt.timedelta(days=offset * 8))
    room = type(room).objects.select_related("facility").get(pk=room.pk)
    with django_assert_max_num_queries(2):
        grid = selectors.availability(room=room, days=selectors.month_of(day))
    assert len(grid.days) in (28, 29, 30, 31) and grid.units[0].startswith("Morning")


def test_a_watcher_is_emailed_once_when_the_unit_frees_up_and_not_if_rebooked(
    koganei, coordinator, group, room, hall, django_capture_on_commit_callbacks
):
    day = next_open_day(hall)
    booking = book(group, room, day, first=1)
    watcher = make_booker(koganei, approve_by=coordinator)
    services.watch_add(user=watcher.user, room=room, date=day, unit=1)
    services.watch_add(user=watcher.user, room=room, date=day, unit=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=group.user, booking=booking)
    (message,) = mail.outbox
    assert message.to == [watcher.user.email] and f"date={day}&unit=1" in message.body
    again = book(group, room, day, first=1)
    services.watch_add(user=watcher.user, room=room, date=day, unit=1)
    book(make_booker(koganei, approve_by=coordinator), room, day, first=0)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=group.user, booking=again)
        book(make_booker(koganei, approve_by=coordinator), room, day, first=1)  # taken again before the email
    assert [m for m in mail.outbox if m.to == [watcher.user.email]] == []


def test_each_kind_of_user_books_as_far_ahead_as_its_rule(koganei, coordinator, group, room, hall):
    hall.group_days_ahead, hall.resident_days_ahead, hall.others_days_ahead = 90, 60, 30
    hall.save()
    person = make_booker(koganei, kind="individual", approve_by=coordinator)
    far = next_open_day(hall, after_days=75)
    assert book(group, room, far).date == far
    with pytest.raises(RuleViolation, match="60 days"):
        book(person, room, far, first=1)


def test_a_booking_is_receipted_by_email(group, room, hall, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        book(group, room, next_open_day(hall), first=0, last=1)
    (message,) = mail.outbox
    assert message.to == [group.email] and "1000" in message.body and room.name in message.subject


def test_registrations_ending_with_the_year_are_reminded_once_and_renew_as_new(
    koganei, coordinator, group, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    near_end = group.valid_until - dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.renewals_remind(today=near_end) == 1
        assert services.renewals_remind(today=near_end + dt.timedelta(days=1)) == 0
    (message,) = mail.outbox
    assert message.to == [group.email] and f"{group.valid_until:%Y-%m-%d}" in message.body
    year_end = fiscal_year_end(timezone.localdate())
    group.valid_until = year_end
    group.save()
    with pytest.raises(RuleViolation, match="two months before"):
        services.booker_renew(user=group.user, booker=group, today=year_end - dt.timedelta(days=61))
    february = year_end - dt.timedelta(days=40)
    renewed = services.booker_renew(user=group.user, booker=group, today=february)
    assert (renewed.state, renewed.name, renewed.members) == (Booker.State.PENDING, group.name, group.members)
    assert selectors.likely_duplicates(renewed) == []  # the group it renews is not flagged
    with pytest.raises(RuleViolation, match="already been renewed"):  # the button pressed twice
        services.booker_renew(user=group.user, booker=group, today=february)
    with pytest.raises(PermissionDenied):
        services.booker_renew(user=make_booker(koganei).user, booker=group, today=february)
    services.booker_decide(actor=coordinator, booker=renewed, approve=True, today=february)
    renewed.refresh_from_db()
    # Approved in February, the renewal runs to the end of the next fiscal year, not this one.
    assert renewed.valid_until == dt.date(year_end.year + 1, 3, 31)
