"""Booking a room on a phone in a real browser: a group's representative checks a room's week,
books a free evening with the fee shown first, finds it on My page and cancels it.

Assertions are on structure (addresses, classes, the database), so they hold in Japanese.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from manabiya.facilities.models import Booking

# Fixtures, imported to be available here.
from ..facilities.conftest import book, group, hall, next_open_day, room  # noqa: F401
from .test_catalog_browser import assert_fits_phone
from .test_registration_browser import assert_no_violations
from .test_staff_browser import log_in

pytestmark = pytest.mark.browser


def test_a_representative_checks_availability_books_and_cancels_on_a_phone(
    axe,
    open_phone,
    live_server,
    reference_data,
    group,  # noqa: F811
    room,  # noqa: F811
    hall,  # noqa: F811
):
    day = next_open_day(hall, after_days=10)
    page = open_phone()
    log_in(page, live_server, group.user)

    # The week's availability, as a table that fits the phone.
    page.goto(live_server.url + reverse("facilities:availability", args=[room.pk]) + f"?week={day.isoformat()}")
    evening = page.locator(f"table#availability tr:has(time[datetime='{day.isoformat()}']) td[data-unit='2']")
    expect(evening).to_have_class("unit-free")
    assert_fits_phone(page)
    assert_no_violations(axe, page)
    evening.locator("a").click()

    # The form comes filled with the day and the evening; the fee is shown before booking.
    page.wait_for_url("**" + reverse("facilities:book", args=[room.pk]) + "*")
    expect(page.locator("#id_date")).to_have_value(day.isoformat())
    expect(page.locator("#id_first_unit")).to_have_value("2")
    page.locator("#id_purpose").fill("囲碁の例会")
    page.locator("#id_attendees").fill("12")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#fee")).to_contain_text("500")
    assert not Booking.objects.exists()
    assert_fits_phone(page)
    assert_no_violations(axe, page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**" + reverse("facilities:mine"))
    booking = Booking.objects.get()
    assert (booking.date, booking.first_unit, booking.fee, booking.state) == (day, 2, 500, "confirmed")

    # My page shows it; cancel from there.
    page.goto(live_server.url + reverse("registration:mypage"))
    card = page.locator("section[aria-labelledby=facility-heading] .booking")
    expect(card).to_contain_text(room.name)
    assert_fits_phone(page)
    assert_no_violations(axe, page)
    card.locator("button[type=submit]").click()
    page.wait_for_url("**" + reverse("facilities:mine"))
    booking.refresh_from_db()
    assert booking.state == "cancelled"

    # The evening is free again.
    page.goto(live_server.url + reverse("facilities:availability", args=[room.pk]) + f"?week={day.isoformat()}")
    expect(evening).to_have_class("unit-free")


@pytest.mark.parametrize("where", ["month", "detail", "register", "day", "staff", "occupancy", "lotteries"])
def test_facility_pages_fit_a_phone_and_pass_axe(
    axe,
    open_phone,
    live_server,
    reference_data,
    group,  # noqa: F811
    room,  # noqa: F811
    hall,  # noqa: F811
    provider_member,
    where,
):
    book(group, room, next_open_day(hall, after_days=3))
    user, path = {
        "month": (None, reverse("facilities:month", args=[hall.pk])),
        "detail": (None, reverse("facilities:detail", args=[hall.pk])),
        "register": (group.user, reverse("facilities:register", args=[hall.municipality.code])),
        "day": (provider_member, reverse("facilities:day_sheet", args=[hall.pk])),
        "staff": (provider_member, reverse("facilities:staff_index")),
        "occupancy": (provider_member, reverse("facilities:occupancy", args=[hall.pk])),
        "lotteries": (provider_member, reverse("facilities:staff_lotteries", args=[hall.pk])),
    }[where]
    page = open_phone()
    if user is not None:
        log_in(page, live_server, user)
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_be_visible()
    assert_fits_phone(page)
    assert_no_violations(axe, page)
