"""Applying on a phone in a real browser: a citizen applies for a first-come course, finds it on My
page (マイページ) with its QR code and cancels it; hall staff check a participant in by code.

The site speaks Japanese by default and the Japanese catalogue of the registration pages is still
being written, so these tests assert on structure (addresses, ids, classes, roles, the database)
rather than on wording.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from manabiya.registration.models import Application, Attendance

# make_course is a fixture: importing it makes it available here.
from ..registration.conftest import apply, make_course, new_citizen  # noqa: F401
from .conftest import assert_assets_served, format_violations
from .test_catalog_browser import assert_fits_phone
from .test_staff_browser import log_in

pytestmark = pytest.mark.browser

CAPACITY = 20
ALREADY_TAKEN = 3


def assert_no_violations(axe, page) -> None:
    violations = axe(page)
    assert not violations, f"axe found WCAG violations on {page.url}:\n{format_violations(violations)}"


def section(page, heading_id: str):
    return page.locator(f"section[aria-labelledby={heading_id}]")


@pytest.fixture
def course(reference_data, make_course):  # noqa: F811
    """A published first-come course with a few places already taken by other citizens."""
    opportunity = make_course(capacity=CAPACITY, title="はじめてのスマホ教室")
    for _ in range(ALREADY_TAKEN):
        apply(new_citizen(), opportunity)
    return opportunity


def test_citizen_applies_on_a_phone_sees_it_on_mypage_and_cancels(axe, open_phone, live_server, course, citizen):
    """A citizen with an account but no profile yet: course page → Apply → the form, filled with the
    keyboard → their application, confirmed, with a QR code and check-in code → My page from the
    navigation → the application → cancel → it moves to past and cancelled; the place comes back."""
    page = open_phone()
    log_in(page, live_server, citizen)
    left = CAPACITY - ALREADY_TAKEN

    # The course's page says how many places are left and offers to apply.
    page.goto(live_server.url + f"/opportunities/{course.pk}/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert_assets_served(page)
    box = page.locator(".apply-box")
    expect(box.locator(".availability")).to_have_class(re.compile(r"\bavailability-open\b"))
    expect(box.locator(".availability")).to_contain_text(str(left))
    assert_fits_phone(page)
    box.locator(f"a.button[href='/opportunities/{course.pk}/apply/']").click()
    page.wait_for_url(f"**/opportunities/{course.pk}/apply/")

    # The form, with the keyboard: type, Tab to the next field.
    expect(page.locator(".availability")).to_contain_text(str(left))
    assert_fits_phone(page)
    assert_no_violations(axe, page)
    form = page.locator("main form[method=post]")
    page.locator("#id_name").focus()
    page.keyboard.type("山田 太郎")
    page.keyboard.press("Tab")
    expect(page.locator("#id_name_kana")).to_be_focused()
    page.keyboard.type("ヤマダ タロウ")
    page.keyboard.press("Tab")
    expect(page.locator("#id_phone")).to_be_focused()
    page.keyboard.type("042-123-4567")
    page.keyboard.press("Tab")
    expect(page.locator("#id_age_band")).to_be_focused()  # optional: left as it is
    page.keyboard.press("Tab")
    expect(page.locator("#id_municipality")).to_be_focused()  # optional too
    page.keyboard.press("Tab")
    # Residency starts unanswered; this citizen works in the city (在勤), the second choice.
    residency = page.locator("#id_residency")
    expect(residency).to_be_focused()
    expect(residency).to_have_value("")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(residency).to_have_value("works")
    page.keyboard.press("Tab")
    expect(form.locator("button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")

    # Their application: confirmed, with the QR code and the check-in code.
    page.wait_for_url(re.compile(r"/mypage/applications/(\d+)/$"))
    application_pk = int(re.search(r"/mypage/applications/(\d+)/$", page.url)[1])
    application = Application.objects.get(pk=application_pk)
    assert application.user_id == citizen.pk
    assert application.opportunity_id == course.pk
    assert application.status == "confirmed"
    assert application.name == "山田 太郎"
    assert (application.name_kana, application.phone) == ("ヤマダ タロウ", "042-123-4567")
    profile = citizen.citizen_profile  # saved for the next application
    assert (profile.name_kana, profile.phone, profile.residency) == ("ヤマダ タロウ", "042-123-4567", "works")
    expect(page.locator("h1")).to_contain_text("はじめてのスマホ教室")
    expect(page.locator("main .messages")).to_be_visible()
    checkin = page.locator("section.checkin-card")
    expect(checkin.locator(".qr[role=img] svg")).to_be_visible()
    assert checkin.locator(".qr").get_attribute("aria-label")
    expect(checkin.locator(".checkin-code")).to_have_text(application.checkin_code)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", application.checkin_code)
    assert_fits_phone(page)
    assert_no_violations(axe, page)

    # My page, from the navigation: the course is coming up.
    page.locator("header nav a[href='/mypage/']").click()
    page.wait_for_url("**/mypage/")
    mine = f"a[href='/mypage/applications/{application_pk}/']"
    expect(section(page, "upcoming-heading").locator(mine)).to_have_text("はじめてのスマホ教室")
    expect(section(page, "past-heading").locator(mine)).to_have_count(0)
    expect(section(page, "past-heading").locator(".empty")).to_be_visible()
    assert_fits_phone(page)
    assert_no_violations(axe, page)

    # Open it and cancel.
    section(page, "upcoming-heading").locator(mine).click()
    page.wait_for_url(f"**/mypage/applications/{application_pk}/")
    page.locator(f"form[action='/mypage/applications/{application_pk}/cancel/'] button[type=submit]").click()
    page.wait_for_url(f"**/mypage/applications/{application_pk}/")
    expect(page.locator("main .messages")).to_be_visible()
    expect(page.locator("section.checkin-card")).to_have_count(0)
    expect(page.locator(f"form[action='/mypage/applications/{application_pk}/cancel/']")).to_have_count(0)
    application.refresh_from_db()
    assert application.status == "cancelled"
    assert_no_violations(axe, page)

    page.locator("header nav a[href='/mypage/']").click()
    page.wait_for_url("**/mypage/")
    expect(section(page, "past-heading").locator(mine)).to_have_text("はじめてのスマホ教室")
    expect(section(page, "upcoming-heading").locator(mine)).to_have_count(0)
    expect(section(page, "upcoming-heading").locator(".empty")).to_be_visible()
    assert_fits_phone(page)
    assert_no_violations(axe, page)

    # The place is free again.
    page.goto(live_server.url + f"/opportunities/{course.pk}/")
    expect(page.locator(".apply-box .availability")).to_contain_text(str(left))
    expect(page.locator(f".apply-box a.button[href='/opportunities/{course.pk}/apply/']")).to_be_visible()


def test_staff_check_a_participant_in_by_code_on_a_phone(axe, open_phone, live_server, course, provider_member):
    """Hall staff on a phone type a participant's check-in code (lower case, no hyphen, as read out
    at the door); the roster shows them present, the others still to come."""
    hanako = apply(new_citizen(name="佐藤 花子", name_kana="サトウ ハナコ"), course)
    session = course.sessions.order_by("starts_at").first()
    path = reverse("registration:checkin", args=[session.pk])
    page = open_phone()
    log_in(page, live_server, provider_member)
    page.goto(live_server.url + path)
    assert page.url.endswith(path), f"not let in: ended at {page.url}"
    assert_assets_served(page)
    roster = page.locator("ul.roster > li")
    expect(roster).to_have_count(ALREADY_TAKEN + 1)
    expect(page.locator("ul.roster .badge")).to_have_count(0)
    assert_fits_phone(page)
    assert_no_violations(axe, page)

    code = page.locator("#code-form input[name=code]")
    code.focus()
    page.keyboard.type(hanako.checkin_code.replace("-", "").lower())
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("main .messages")).to_contain_text("佐藤 花子")
    assert page.url.endswith(path)

    row = roster.filter(has_text="佐藤 花子")
    expect(row.locator(".badge")).to_be_visible()
    expect(row.locator("button[name=action][value=untick]")).to_be_visible()
    expect(page.locator("ul.roster .badge")).to_have_count(1)
    expect(roster.filter(has_not_text="佐藤 花子").locator("button[name=action][value=tick]")).to_have_count(
        ALREADY_TAKEN
    )
    attendance = Attendance.objects.get(session=session)
    assert attendance.application_id == hanako.pk
    assert attendance.method == "code"
    assert_fits_phone(page)
    assert_no_violations(axe, page)
