"""A citizen on a phone finds, filters and opens learning opportunities in a real browser."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from manabiya.catalog.models import Category
from manabiya.catalog.services import SessionSpec

from ..conftest import future
from .conftest import PHONE, assert_assets_served, format_violations

pytestmark = pytest.mark.browser


def next_weekday(isoweekday: int, hour: int, *, weeks_ahead: int = 1) -> dt.datetime:
    start = timezone.localtime() + dt.timedelta(weeks=weeks_ahead)
    day = start.date() + dt.timedelta(days=(isoweekday - start.isoweekday()) % 7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def two_hours(*starts: dt.datetime) -> list[SessionSpec]:
    return [SessionSpec(starts_at=s, ends_at=s + dt.timedelta(hours=2)) for s in starts]


@pytest.fixture
def catalogue(reference_data, kominkan, provider_member, coordinator, make_opportunity):
    """Tuesday-evening calligraphy (the one the citizen wants), and three that differ by one filter."""
    calligraphy = Category.objects.get(slug="calligraphy")
    wanted = make_opportunity(
        kominkan,
        provider_member,
        title="夜の書道教室",
        summary="仕事帰りに筆を持ってみませんか",
        description="初心者向けの全2回の教室です。道具は貸し出します。",
        category=calligraphy,
        status="published",
        sessions=two_hours(next_weekday(2, 19), next_weekday(2, 19, weeks_ahead=2)),
        fee=500,
    )
    morning = make_opportunity(
        kominkan,
        provider_member,
        title="朝の書道教室",
        category=calligraphy,
        status="published",
        sessions=two_hours(next_weekday(2, 10)),
    )
    other_topic = make_opportunity(
        kominkan,
        provider_member,
        title="夜のスマホ相談会",
        status="published",
        sessions=two_hours(next_weekday(2, 19)),
        childcare_offered=True,
    )
    this_week = make_opportunity(
        kominkan,
        provider_member,
        title="今週の歴史講座",
        category=Category.objects.get(slug="history-heritage"),
        status="published",
        sessions=two_hours(future(2, hour=14)),
    )
    cancelled = make_opportunity(
        kominkan, provider_member, title="中止になった講座", status="cancelled", sessions=two_hours(future(3))
    )
    return {"wanted": wanted, "morning": morning, "other_topic": other_topic, "this_week": this_week,
            "cancelled": cancelled}  # fmt: skip


def open_filters(form) -> None:
    """The filters beyond the keyword fold away on a phone until asked for."""
    details = form.locator("details")
    if details.get_attribute("open") is None:
        form.locator("summary").click()


def assert_fits_phone(page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"{page.url} scrolls sideways: {scroll_width}px wide"


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_citizen_filters_the_catalogue_on_a_phone(open_phone, live_server, catalogue, javascript):
    """On a 360 px phone a citizen goes from the home page to the list, filters by topic, weekday and
    time of day, sees only the matching course and opens it; with JavaScript off the same plain GET
    form does the job."""
    page = open_phone(javascript=javascript)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    expect(page.locator("h1")).to_be_visible()
    assert_assets_served(page)
    assert_fits_phone(page)

    page.locator("header nav a[href='/opportunities/']").click()
    page.wait_for_url("**/opportunities/")
    assert_fits_phone(page)

    if javascript:
        page.evaluate("window.stillTheSamePage = true")
    form = page.locator("form.filters")
    open_filters(form)
    form.locator("select[name=category]").select_option("calligraphy")
    form.locator("input[name=weekday][value='2']").check()
    form.locator("input[name=time][value=evening]").check()
    form.locator("details button[type=submit]").click()

    results = page.locator("#results")
    expect(results.get_by_role("link", name="夜の書道教室")).to_be_visible()
    expect(results).not_to_contain_text("朝の書道教室")
    expect(results).not_to_contain_text("夜のスマホ相談会")
    expect(results).not_to_contain_text("今週の歴史講座")
    # The filters are in the address, so the result can be bookmarked and shared.
    expect(page).to_have_url(re.compile(r"[?&]time=evening"))
    params = parse_qs(urlparse(page.url).query)
    assert params["category"] == ["calligraphy"]
    assert params["weekday"] == ["2"]
    assert params["time"] == ["evening"]
    # The form still shows what was chosen.
    expect(form.locator("input[name=time][value=evening]")).to_be_checked()
    if javascript:
        # htmx swapped the results in place: no page load, one results region, heading updated.
        assert page.evaluate("window.stillTheSamePage === true")
        assert page.evaluate("document.querySelectorAll('#results, #results-heading').length") == 2
        expect(page.locator("#results-heading")).to_contain_text("1")
    assert_fits_phone(page)

    results.get_by_role("link", name="夜の書道教室").click()
    page.wait_for_url(f"**/opportunities/{catalogue['wanted'].pk}/")
    expect(page.locator("h1")).to_contain_text("夜の書道教室")
    expected_starts = [timezone.localtime(s.starts_at).isoformat() for s in catalogue["wanted"].sessions.all()]
    dates = page.locator("main time")
    expect(dates).to_have_count(2)
    assert [dates.nth(i).get_attribute("datetime") for i in range(2)] == expected_starts
    expect(dates.first).to_contain_text("19:00")
    assert_fits_phone(page)
    assert_assets_served(page)


def open_filtered_list(page, live_server) -> None:
    """The list after filtering in place with htmx: the partial swapped into the page."""
    page.goto(live_server.url + "/opportunities/")
    open_filters(page.locator("form.filters"))
    page.locator("form.filters select[name=category]").select_option("calligraphy")
    expect(page.locator("main")).not_to_contain_text("夜のスマホ相談会")


@pytest.mark.parametrize("where", ["home", "list", "list-filtered-with-htmx", "detail", "detail-cancelled"])
def test_pages_have_no_wcag_violations(axe, open_phone, live_server, catalogue, where):
    """axe-core finds no WCAG 2.1 A/AA violation on the pages a citizen uses."""
    page = open_phone()
    if where == "home":
        page.goto(live_server.url + "/")
    elif where == "list":
        page.goto(live_server.url + "/opportunities/")
    elif where == "list-filtered-with-htmx":
        open_filtered_list(page, live_server)
    elif where == "detail":
        page.goto(live_server.url + f"/opportunities/{catalogue['wanted'].pk}/")
    else:
        page.goto(live_server.url + f"/opportunities/{catalogue['cancelled'].pk}/")
    assert_assets_served(page)
    violations = axe(page)
    assert not violations, f"axe found WCAG violations on {page.url}:\n{format_violations(violations)}"
