"""A citizen on a phone searches the catalogue in a real browser: suggestions as they type, with
the keyboard alone, and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from manabiya.catalog.models import Category
from manabiya.search.models import Synonym
from manabiya.search.synonyms import SEED_SETS, split_words

from ..conftest import future
from .conftest import assert_assets_served, format_violations
from .test_catalog_browser import assert_fits_phone, two_hours

pytestmark = pytest.mark.browser


@pytest.fixture
def synonyms(reference_data):
    """The synonym sets the migrations seed: like the reference data, flushed by the live server's
    earlier tests."""
    for words in SEED_SETS:
        Synonym.objects.get_or_create(words="、".join(split_words(words)))


@pytest.fixture
def catalogue(synonyms, kominkan, provider_member, coordinator, make_opportunity):
    """Two smartphone courses, spelled スマートフォン and スマホ, and a calligraphy class."""
    return {
        "smartphone": make_opportunity(
            kominkan, provider_member, title="はじめてのスマートフォン", status="published",
            sessions=two_hours(future(5, hour=10)),
        ),
        "sumaho": make_opportunity(
            kominkan, provider_member, title="スマホ何でも相談会", status="published",
            sessions=two_hours(future(6, hour=14)),
        ),
        "calligraphy": make_opportunity(
            kominkan, provider_member, title="夜の書道教室", status="published",
            category=Category.objects.get(slug="calligraphy"), sessions=two_hours(future(4, hour=19)),
        ),
    }  # fmt: skip


def keyword_box(page):
    return page.locator("input[name=q]")


def type_sumaho(page):
    """Typed one character at a time, as on a phone's half-width kana keyboard."""
    box = keyword_box(page)
    box.click()
    box.press_sequentially("ｽﾏﾎ", delay=80)
    suggestions = page.locator("#suggestions")
    expect(suggestions.get_by_role("link", name="はじめてのスマートフォン")).to_be_visible()
    expect(suggestions.get_by_role("link", name="スマホ何でも相談会")).to_be_visible()
    return suggestions


@pytest.mark.parametrize("where", ["/opportunities/", "/"], ids=["catalogue", "home"])
def test_citizen_types_sumaho_and_opens_a_suggestion(open_phone, live_server, catalogue, where):
    """On a 360 px phone, ｽﾏﾎ typed in the keyword box brings suggestions for both spellings under
    it, without a page load; the status line says how many; a tap opens the course's page."""
    page = open_phone()
    page.goto(live_server.url + where)
    assert_assets_served(page)
    page.evaluate("window.stillTheSamePage = true")

    suggestions = type_sumaho(page)
    expect(suggestions).not_to_contain_text("夜の書道教室")
    # Both titles and the ICT・スマホ topic.
    expect(suggestions.get_by_role("link", name=re.compile("ICT・スマホ"))).to_be_visible()
    expect(page.locator("#suggestions-status")).to_contain_text("3")
    assert page.evaluate("window.stillTheSamePage === true")
    assert_fits_phone(page)

    suggestions.get_by_role("link", name="スマホ何でも相談会").click()
    page.wait_for_url(f"**/opportunities/{catalogue['sumaho'].pk}/")
    expect(page.locator("h1")).to_contain_text("スマホ何でも相談会")


def test_keyboard_only_citizen_reaches_a_suggestion(open_phone, live_server, catalogue):
    """Tab leaves the keyword box, which refreshes the results; the suggestions stay where they are,
    so the one tabbed to keeps the focus and Enter opens it."""
    page = open_phone()
    page.goto(live_server.url + "/opportunities/")
    type_sumaho(page)
    page.keyboard.press("Tab")  # the search button beside the box
    expect(page.locator("form.filters button[type=submit]").first).to_be_focused()
    page.keyboard.press("Tab")  # the first suggestion: the topic
    expect(page.locator("#suggestions a").first).to_be_focused()
    page.keyboard.press("Tab")  # the best-matching title
    title = page.locator("#suggestions a").nth(1)
    expect(title).to_be_focused()
    # Leaving the box fired a change: the results now hold only the keyword's matches.
    expect(page.locator("#results")).not_to_contain_text("夜の書道教室")
    expect(title).to_be_focused()
    name = title.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/opportunities/\d+/$"))
    expect(page.locator("h1")).to_contain_text(name)


def test_without_javascript_the_keyword_box_is_a_plain_search(open_phone, live_server, catalogue):
    """No suggestions without JavaScript; Enter submits the form and the results page shows both
    spellings."""
    page = open_phone(javascript=False)
    page.goto(live_server.url + "/")
    box = keyword_box(page)
    box.fill("ｽﾏﾎ")
    box.press("Enter")
    page.wait_for_url("**/opportunities/?q=*")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="はじめてのスマートフォン")).to_be_visible()
    expect(results.get_by_role("link", name="スマホ何でも相談会")).to_be_visible()
    expect(results).not_to_contain_text("夜の書道教室")
    expect(page.locator("#suggestions a")).to_have_count(0)
    assert_fits_phone(page)


def test_nothing_found_help_fits_a_phone_and_leads_on(open_phone, live_server, catalogue):
    """Nothing matches: the help lists the filters and, among the ways on, the related topic 書道,
    which lists the calligraphy class."""
    page = open_phone(javascript=False)
    page.goto(live_server.url + "/opportunities/?q=書道+ぱぴぷぺ&weekday=6&weekday=7&childcare=on")
    help_block = page.locator(".nothing-found")
    expect(help_block.get_by_role("link", name="書道", exact=True)).to_be_visible()
    assert_fits_phone(page)
    help_block.get_by_role("link", name="書道", exact=True).click()
    page.wait_for_url("**/opportunities/?category=calligraphy")
    expect(page.locator("#results").get_by_role("link", name="夜の書道教室")).to_be_visible()


@pytest.mark.parametrize("where", ["/opportunities/", "/"], ids=["catalogue", "home"])
def test_suggestions_open_have_no_wcag_violations(axe, open_phone, live_server, catalogue, where):
    """axe-core finds no WCAG 2.1 A/AA violation with the suggestions showing."""
    page = open_phone()
    page.goto(live_server.url + where)
    type_sumaho(page)
    expect(page.locator("#suggestions-status")).not_to_be_empty()
    violations = axe(page)
    assert not violations, f"axe found WCAG violations on {page.url}:\n{format_violations(violations)}"


def test_nothing_found_has_no_wcag_violations(axe, open_phone, live_server, catalogue):
    page = open_phone()
    page.goto(live_server.url + "/opportunities/?q=書道+ぱぴぷぺ&weekday=6")
    expect(page.locator(".nothing-found")).to_be_visible()
    violations = axe(page)
    assert not violations, f"axe found WCAG violations on {page.url}:\n{format_violations(violations)}"
