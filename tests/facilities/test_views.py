"""Facility pages: public availability without login, booking with the fee shown first, My page,
the staff's pages, and who is refused what."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from manabiya.facilities.models import Booker, Booking

from .conftest import book, make_booker, next_open_day

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    """Assertions quote the English messages."""


def test_availability_needs_no_login_and_shows_taken_units(client, group, room, hall):
    day = next_open_day(hall)
    book(group, room, day, first=1)
    week = client.get(reverse("facilities:availability", args=[room.pk]), {"week": day.isoformat()})
    assert week.status_code == 200
    (row,) = [d for d in week.context["grid"].days if d.date == day]
    assert row.cells == ["free", "taken", "free"]
    page = week.content.decode()
    assert f"?date={day.isoformat()}&amp;unit=0" in page and f"?date={day.isoformat()}&amp;unit=1" not in page
    assert group.name not in page, "who booked is not public"
    month = client.get(reverse("facilities:availability", args=[room.pk]), {"month": day.strftime("%Y-%m")})
    assert len(month.context["grid"].days) >= 28


def test_the_facility_page_shows_rooms_fees_and_rules(client, room, hall):
    page = client.get(reverse("facilities:detail", args=[hall.pk])).content.decode()
    assert room.name in page and "600 yen a unit" in page and "3000 yen a unit" in page
    assert client.get(reverse("facilities:list")).status_code == 200


def test_a_citizen_registers_then_after_approval_books_seeing_the_fee_first(client, koganei, coordinator, room, hall):
    citizen = make_booker(koganei).user
    client.force_login(citizen)
    assert "facilities/not_registered.html" in [
        t.name for t in client.get(reverse("facilities:book", args=[room.pk])).templates
    ]
    booker = citizen.bookers.get()
    booker.state = Booker.State.APPROVED
    booker.valid_until = dt.date(2099, 3, 31)
    booker.save()
    day = next_open_day(hall)
    url = reverse("facilities:book", args=[room.pk])
    data = {
        "booker": booker.pk,
        "date": day.isoformat(),
        "first_unit": 0,
        "last_unit": 1,
        "purpose": "例会",
        "attendees": 12,
    }
    preview = client.post(url, data)
    assert preview.context["fee"] == 1000 and not Booking.objects.exists()
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302 and Booking.objects.get().fee == 1000
    mypage = client.get(reverse("registration:mypage")).content.decode()
    assert room.name in mypage and reverse("facilities:cancel", args=[Booking.objects.get().pk]) in mypage


def test_a_taken_slot_is_refused_next_to_the_field_keeping_what_was_typed(
    client, koganei, coordinator, group, room, hall
):
    day = next_open_day(hall)
    book(group, room, day, first=0)
    other = make_booker(koganei, approve_by=coordinator)
    client.force_login(other.user)
    data = {
        "booker": other.pk,
        "date": day.isoformat(),
        "first_unit": 0,
        "last_unit": 0,
        "purpose": "読書会の例会",
        "attendees": 8,
        "confirm": "1",
    }
    response = client.post(reverse("facilities:book", args=[room.pk]), data)
    assert response.status_code == 200 and "already taken" in str(response.context["form"].errors["first_unit"])
    assert 'value="読書会の例会"' in response.content.decode()


def test_a_citizen_cannot_cancel_anothers_booking(client, koganei, coordinator, group, room, hall):
    booking = book(group, room, next_open_day(hall))
    client.force_login(make_booker(koganei, approve_by=coordinator).user)
    assert client.post(reverse("facilities:cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED


def test_staff_approve_registrations_with_duplicates_flagged(client, koganei, provider_member, hall):
    first = make_booker(koganei, name="小金井囲碁クラブ", approve_by=None)
    second = make_booker(koganei, name="小金井 囲碁クラブ")
    client.force_login(provider_member)
    page = client.get(reverse("facilities:staff_index"))
    pending = dict(page.context["pending"])
    assert [other.pk for other, _why in pending[second]] == [first.pk]
    client.post(
        reverse("facilities:booker_decide", args=[second.pk]), {"decision": "reject", "reason": "重複登録のため"}
    )
    second.refresh_from_db()
    assert (second.state, second.decision_reason) == (Booker.State.REJECTED, "重複登録のため")


def test_the_counter_books_for_a_caller_blocks_and_marks_paid(client, group, room, hall, provider_member):
    day = next_open_day(hall)
    client.force_login(provider_member)
    url = reverse("facilities:day_sheet", args=[hall.pk])
    data = {
        "action": "book", "booking-booker": group.pk, "booking-room": room.pk, "booking-date": day.isoformat(),
        "booking-first_unit": 2, "booking-last_unit": 2, "booking-purpose": "電話での予約", "booking-attendees": 5,
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    booking = Booking.objects.get()
    assert booking.at_counter and booking.booked_by == provider_member
    block = {"action": "block", "date": day.isoformat(), "block-room": room.pk, "block-first_unit": 0,
             "block-last_unit": 1, "block-reason": "空調点検"}  # fmt: skip
    client.post(f"{url}?date={day}", block)
    sheet = client.get(url, {"date": day.isoformat()}).context["sheet"]
    assert [len(items) for _room, items in sheet] == [2]
    over_the_booking = {**block, "block-first_unit": 2, "block-last_unit": 2, "block-reason": "床の補修"}
    refused = client.post(f"{url}?date={day}", over_the_booking)
    assert refused.status_code == 200 and group.name in str(refused.context["block_form"].errors["cancel_bookings"])
    assert 'value="床の補修"' in refused.content.decode(), "what staff typed is kept"
    client.post(reverse("facilities:booking_action", args=[booking.pk]), {"action": "paid"})
    booking.refresh_from_db()
    assert booking.paid_at is not None


def test_staff_pages_refuse_citizens_and_other_cities(client, group, hall, chitose_coordinator):
    for user in (group.user, chitose_coordinator):
        client.force_login(user)
        assert client.get(reverse("facilities:day_sheet", args=[hall.pk])).status_code == 403
    assert client.get(reverse("facilities:staff_index")).status_code == 403


def test_the_demo_has_a_bookable_hall_with_the_citizens_booking_and_reset_makes_it_again(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    booking = Booking.objects.get(booker__user__email="citizen@example.jp")
    assert booking.room.facility.rooms.count() == 3 and booking.booker.state == Booker.State.APPROVED
    call_command("load_demo", "--reset", stdout=io.StringIO())
    assert Booking.objects.filter(booker__user__email="citizen@example.jp").count() == 1


def test_coordinators_set_up_rooms_in_the_admin_and_only_read_bookings(
    client, coordinator, chitose_coordinator, group, room, hall
):
    booking = book(group, room, next_open_day(hall))
    client.force_login(coordinator)
    assert room.name in client.get(reverse("admin:facilities_room_changelist")).content.decode()
    change = client.get(reverse("admin:facilities_room_change", args=[room.pk]))
    assert change.status_code == 200 and b"fee_group" in change.content
    delete = client.post(reverse("admin:facilities_booking_delete", args=[booking.pk]), {"post": "yes"})
    assert delete.status_code == 403 and Booking.objects.filter(pk=booking.pk).exists()
    client.force_login(chitose_coordinator)
    assert client.get(reverse("admin:facilities_room_change", args=[room.pk])).status_code == 403


def test_the_facility_month_shows_free_units_of_every_room_in_fixed_queries(
    client, group, room, hall, django_assert_max_num_queries
):
    day = next_open_day(hall)
    book(group, room, day, first=0, last=1)
    other = type(room).objects.create(facility=hall, name="和室", capacity=10)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("facilities:month", args=[hall.pk]), {"month": day.strftime("%Y-%m")})
    grid = response.context["grid"]
    (row,) = [r for r in grid.rows if r.date == day]
    assert [r.name for r in grid.rooms] == [room.name, other.name] and row.free == [1, 3]


def test_a_registration_near_its_end_renews_from_my_page_once(client, group):
    group.valid_until = timezone.localdate() + dt.timedelta(days=30)
    group.save()
    client.force_login(group.user)
    mine = reverse("facilities:mine")
    renew = reverse("facilities:renew", args=[group.pk])
    assert renew in client.get(mine).content.decode()
    assert client.post(renew).status_code == 302
    (renewal,) = Booker.objects.filter(renews=group)
    assert renewal.state == Booker.State.PENDING and renewal.user == group.user
    assert renew not in client.get(mine).content.decode(), "no second renewal button"
    followed = client.post(renew, follow=True).content.decode()
    assert "already been renewed" in followed and Booker.objects.filter(renews=group).count() == 1


def test_nobody_renews_another_users_registration(client, koganei, group):
    group.valid_until = timezone.localdate() + dt.timedelta(days=30)
    group.save()
    client.force_login(make_booker(koganei).user)
    assert client.post(reverse("facilities:renew", args=[group.pk])).status_code == 404
    assert not Booker.objects.filter(renews=group).exists()
