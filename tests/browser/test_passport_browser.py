"""The learning passport in a real browser, on a phone: a citizen joins the programme, is checked
in at a taking-part course by the hall's staff, and finds the stamp on their passport page.

As in the other browser tests, assertions are on structure (addresses, ids, the database) rather
than wording, so they hold in Japanese, the default language.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from manabiya.passport import services
from manabiya.passport.models import Passport

# Fixtures, imported to be available here.
from ..passport.conftest import make_programme, programme, taking_part  # noqa: F401
from ..registration.conftest import apply, make_course, new_citizen  # noqa: F401
from .test_catalog_browser import assert_fits_phone
from .test_registration_browser import assert_no_violations
from .test_staff_browser import log_in

pytestmark = pytest.mark.browser


def test_citizen_joins_is_checked_in_and_sees_the_stamp(
    axe,
    open_phone,
    live_server,
    reference_data,
    programme,  # noqa: F811
    taking_part,  # noqa: F811
    provider_member,
):
    course = taking_part(title="ちとせの歴史講座")
    citizen = new_citizen(name="千歳 花子", name_kana="チトセ ハナコ")
    application = apply(citizen, course)

    # The citizen, on a phone: the passport from the navigation, the programme, join.
    page = open_phone()
    log_in(page, live_server, citizen)
    page.goto(live_server.url + "/")
    page.locator(f"header nav a[href='{reverse('passport:home')}']").click()
    page.wait_for_url("**" + reverse("passport:home"))
    join = page.locator(f"a[href='{reverse('passport:join', args=[programme.pk])}']")
    assert_fits_phone(page)
    assert_no_violations(axe, page)
    join.click()
    expect(page.locator("#id_name")).to_have_value("千歳 花子")
    expect(page.locator("#id_kana")).to_have_value("チトセ ハナコ")
    assert_no_violations(axe, page)
    page.locator("main form button[type=submit]").click()
    passport = Passport.objects.get(user=citizen, programme=programme)
    page.wait_for_url("**" + reverse("passport:detail", args=[passport.number]))
    expect(page.locator("#passport-number")).to_have_text(passport.number)
    expect(page.locator("table#stamps")).to_have_count(0)
    expect(page.locator(".qr[role=img] svg")).to_be_visible()
    assert_fits_phone(page)
    assert_no_violations(axe, page)

    # The hall's staff, on their own phone: check-in by the code the citizen reads out.
    staff = open_phone()
    log_in(staff, live_server, provider_member)
    session = course.sessions.get()
    staff.goto(live_server.url + reverse("registration:checkin", args=[session.pk]))
    staff.locator("#id_code").fill(application.checkin_code.lower().replace("-", ""))
    staff.locator("#code-form button[type=submit]").click()
    staff.wait_for_load_state()
    assert application.attendances.filter(session=session).exists()

    # Back on the citizen's phone: the stamp, with the course and its credit.
    page.reload()
    row = page.locator("table#stamps tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("ちとせの歴史講座")
    expect(row.locator("td").nth(3)).to_have_text("1.0")
    assert passport.stamps.get().session_id == session.pk
    assert_fits_phone(page)
    assert_no_violations(axe, page)


@pytest.mark.parametrize("where", ["programme", "counter", "verify", "stamps"])
def test_passport_staff_and_public_pages_fit_a_phone_and_pass_axe(
    axe,
    open_phone,
    live_server,
    reference_data,
    programme,  # noqa: F811
    taking_part,  # noqa: F811
    provider_member,
    coordinator,
    where,
):
    session = taking_part(title="ちとせの歴史講座").sessions.get()
    passport = services.passport_join(user=new_citizen(), programme=programme, name="千歳 花子")
    services.stamp_counter(
        actor=coordinator, passport=passport, reason="移行", title="県民カレッジ",
        earned_on=timezone.localdate() - dt.timedelta(days=1), credits=Decimal(5),
    )  # fmt: skip
    award = passport.awards.first()
    user, path = {
        "programme": (coordinator, reverse("passport:programme", args=[programme.pk])),
        "counter": (coordinator, reverse("passport:staff_passport", args=[passport.number])),
        "verify": (None, reverse("passport:verify", args=[award.credential_id])),
        "stamps": (provider_member, reverse("passport:session_stamps", args=[session.pk])),
    }[where]
    page = open_phone()
    if user is not None:
        log_in(page, live_server, user)
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_be_visible()
    assert_fits_phone(page)
    assert_no_violations(axe, page)
