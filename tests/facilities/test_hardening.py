"""Input that used to give a server error, or be taken when it should not, on the facility pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from manabiya.core.errors import RuleViolation
from manabiya.facilities import services
from manabiya.facilities.models import Booking, LotteryRound

from .conftest import next_open_day

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("view", "query"),
    [
        ("availability", {"week": "9999-12-31"}),
        ("availability", {"week": "0001-01-01"}),
        ("availability", {"month": "9999-12"}),
        ("availability", {"month": "0001-01"}),
        ("availability", {"week": "2999-12-31"}),
        ("availability", {"month": "1900-01"}),
    ],
)
def test_room_availability_at_the_ends_of_the_calendar(client, room, view, query):
    """A week or month at either end of the calendar shows this week instead of failing."""
    response = client.get(reverse(f"facilities:{view}", args=[room.pk]), query)
    assert response.status_code == 200


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2999-12", "1900-01"])
def test_facility_month_at_the_ends_of_the_calendar(client, hall, room, month):
    assert client.get(reverse("facilities:month", args=[hall.pk]), {"month": month}).status_code == 200


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "2999-12-31", "1900-01-01"])
def test_staff_day_sheet_and_occupancy_at_the_ends_of_the_calendar(client, hall, room, provider_member, date):
    client.force_login(provider_member)
    assert client.get(reverse("facilities:day_sheet", args=[hall.pk]), {"date": date}).status_code == 200
    month = date[:7]
    assert client.get(reverse("facilities:occupancy", args=[hall.pk]), {"month": month}).status_code == 200


def _counter_booking(group, room, day, **changes) -> dict:
    return {
        "action": "book", "booking-booker": group.pk, "booking-room": room.pk, "booking-date": day,
        "booking-first_unit": 2, "booking-last_unit": 2, "booking-purpose": "電話での予約", "booking-attendees": 5,
        **changes,
    }  # fmt: skip


@pytest.mark.parametrize("day", ["2020-05-01", "yesterday"])
def test_staff_cannot_book_a_day_gone_by(client, group, room, hall, provider_member, english, day):
    """A booking dated 2020 (or yesterday) at the counter is refused next to the date."""
    if day == "yesterday":
        day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    client.force_login(provider_member)
    response = client.post(reverse("facilities:day_sheet", args=[hall.pk]), _counter_booking(group, room, day))
    assert response.status_code == 200
    assert "date" in response.context["booking_form"].errors
    assert not Booking.objects.exists()


def test_the_services_refuse_a_booking_for_a_day_gone_by(group, room, hall, provider_member):
    with pytest.raises(RuleViolation) as refused:
        services.booking_create(
            actor=provider_member, booker=group, room=room, date=timezone.localdate() - dt.timedelta(days=1),
            first_unit=2, last_unit=2, purpose="x", attendees=1,
        )  # fmt: skip
    assert refused.value.field == "date"


def test_staff_can_book_today_at_the_counter(client, group, room, hall, provider_member):
    day = timezone.localdate()
    if day.isoweekday() in hall.closed_weekdays:
        day = next_open_day(hall, after_days=1)
    client.force_login(provider_member)
    response = client.post(reverse("facilities:day_sheet", args=[hall.pk]), _counter_booking(group, room, day))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("field", "value"),
    [("date", "0001-01-01"), ("date", "9999-12-31"), ("attendees", "40000"), ("attendees", "9" * 30)],
)
def test_counter_booking_out_of_range_is_refused_next_to_the_field(
    client, group, room, hall, provider_member, field, value
):
    client.force_login(provider_member)
    data = _counter_booking(group, room, next_open_day(hall).isoformat(), **{f"booking-{field}": value})
    response = client.post(reverse("facilities:day_sheet", args=[hall.pk]), data)
    assert response.status_code == 200
    assert field in response.context["booking_form"].errors
    assert not Booking.objects.exists()


@pytest.mark.parametrize("month", ["9999-12", "2999-12", "2020-01"])
def test_lottery_rounds_are_opened_only_for_months_still_to_come(client, hall, provider_member, month):
    """A lottery for 9999-12, for a month years ahead, or one whose wishes closed long ago is refused
    next to the month."""
    client.force_login(provider_member)
    response = client.post(reverse("facilities:staff_lotteries", args=[hall.pk]), {"month": month})
    assert response.status_code == 200
    assert "month" in response.context["form"].errors
    assert not LotteryRound.objects.exists()


def test_a_lottery_round_for_the_coming_months_opens(client, hall, provider_member):
    today = timezone.localdate()
    month = (today.replace(day=1) + dt.timedelta(days=100)).replace(day=1)
    client.force_login(provider_member)
    response = client.post(reverse("facilities:staff_lotteries", args=[hall.pk]), {"month": month.strftime("%Y-%m")})
    assert response.status_code == 302
    assert LotteryRound.objects.get().month == month


@pytest.mark.parametrize("value", ["abc", "", "9" * 30, "²"])
def test_drawing_a_made_up_lottery_is_not_found(client, hall, provider_member, value):
    client.force_login(provider_member)
    response = client.post(reverse("facilities:staff_lotteries", args=[hall.pk]), {"action": "draw", "lottery": value})
    assert response.status_code == 404


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "x"])
def test_watching_a_slot_at_the_ends_of_the_calendar_says_why(client, group, room, date):
    client.force_login(group.user)
    response = client.post(reverse("facilities:watch", args=[room.pk]), {"date": date, "unit": "1"})
    assert response.status_code == 302
