"""The catalogue's search on the page: suggestions as one types, counts beside each filter choice,
the relevance order, and help when nothing is found; the JSON API gives the same answers."""

import datetime as dt
import re
from collections import Counter
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from manabiya.catalog.models import Audience, Category
from manabiya.catalog.services import SessionSpec

from ..conftest import future

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def titles(response) -> list[str]:
    return [o.title for o in response.context["page"].object_list]


def links(body: str) -> dict[str, str]:
    """Link text (tags stripped) → href, in the order of the page."""
    return {
        re.sub(r"<[^>]+>", "", unescape(text)).strip(): unescape(href)
        for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', body, re.S)
    }


def on(day: int, hour: int) -> list[SessionSpec]:
    start = future(day, hour=hour)
    return [SessionSpec(starts_at=start, ends_at=start + dt.timedelta(hours=2))]


def next_weekday(isoweekday: int, hour: int) -> list[SessionSpec]:
    start = future(7, hour=hour)
    start += dt.timedelta(days=(isoweekday - start.isoweekday()) % 7)
    return [SessionSpec(starts_at=start, ends_at=start + dt.timedelta(hours=2))]


@pytest.fixture
def catalogue(kominkan, provider_member, coordinator, make_opportunity):
    """Two smartphone courses spelled two ways, calligraphy on a Saturday, and a walk that only
    mentions calligraphy in its description but comes sooner than the calligraphy class."""
    return {
        "smartphone": make_opportunity(
            kominkan, provider_member, title="スマートフォン入門", status="published", sessions=next_weekday(2, 10)
        ),
        "sumaho": make_opportunity(
            kominkan, provider_member, title="スマホ相談会", status="published", sessions=next_weekday(2, 19)
        ),
        "calligraphy": make_opportunity(
            kominkan, provider_member, title="はじめての書道", status="published", sessions=next_weekday(6, 10),
            category=Category.objects.get(slug="calligraphy"), fee=500, childcare_offered=True,
            audiences=[Audience.objects.get(slug="infants-parents")],
        ),
        "walk": make_opportunity(
            kominkan, provider_member, title="郷土史さんぽ", status="published", sessions=on(1, 14),
            description="途中で書道の体験もあります。", category=Category.objects.get(slug="history-heritage"),
        ),
    }  # fmt: skip


# --- suggestions ---------------------------------------------------------------------------------


def test_suggestions_for_half_width_sumaho_are_the_smartphone_courses(client, catalogue):
    """ｽﾏﾎ typed on a phone keyboard suggests both スマートフォン and スマホ titles, each a link to its
    page, and the ICT・スマホ topic; the status line says how many there are."""
    response = client.get(reverse("catalog:suggest"), {"q": "ｽﾏﾎ"}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    found = links(body)
    assert found["スマートフォン入門"] == reverse("catalog:opportunity_detail", args=[catalogue["smartphone"].pk])
    assert found["スマホ相談会"] == reverse("catalog:opportunity_detail", args=[catalogue["sumaho"].pk])
    assert "はじめての書道" not in body
    topic = next(href for text, href in found.items() if "ICT・スマホ" in text)
    assert parse_qs(urlparse(topic).query) == {"category": ["ict"]}
    assert '<p id="suggestions-status" hx-swap-oob="innerHTML">' in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_suggestions_rank_title_matches_first_and_stop_at_eight(
    client, catalogue, kominkan, provider_member, make_opportunity
):
    for n in range(10):
        make_opportunity(kominkan, provider_member, title=f"書道講座{n}", status="published", sessions=on(n + 2, 10))
    body = client.get(reverse("catalog:suggest"), {"q": "書道"}, **HX).content.decode()
    items = re.findall(r"<li>", body.split('class="suggestion-list"')[1].split("</ul>")[0])
    assert len(items) == 8
    # The walk mentions 書道 only in its description: it comes soonest, but is not suggested.
    assert "郷土史さんぽ" not in body
    # The count covers every result, with a link to see them all.
    see_all = next(href for text, href in links(body).items() if "12" in text)
    assert parse_qs(urlparse(see_all).query) == {"q": ["書道"]}


def test_suggestions_follow_the_filters_sent_with_them(client, catalogue):
    body = client.get(reverse("catalog:suggest"), {"q": "ｽﾏﾎ", "time": "evening"}, **HX).content.decode()
    assert "スマホ相談会" in body
    assert "スマートフォン入門" not in body


@pytest.mark.parametrize("q", ["", "   ", "　"])
def test_empty_keyword_suggests_nothing_without_a_query(client, catalogue, q, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("catalog:suggest"), {"q": q}, **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "suggestion-list" not in body
    assert '<p id="suggestions-status" hx-swap-oob="innerHTML"></p>' in body


def test_nothing_to_suggest_is_announced(client, catalogue, english):
    body = client.get(reverse("catalog:suggest"), {"q": "ぱぴぷぺぽ"}, **HX).content.decode()
    assert "suggestion-list" not in body
    assert "No suggestions for “ぱぴぷぺぽ”." in body


def test_suggest_without_htmx_is_the_search_itself(client, catalogue):
    """Opened as a page (no JavaScript), the address leads to the catalogue's results."""
    response = client.get(reverse("catalog:suggest"), {"q": "書道"})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:opportunity_list") + "?q=%E6%9B%B8%E9%81%93"


def test_keyword_boxes_ask_for_suggestions_and_still_submit(client, catalogue):
    """The catalogue's and the home page's keyword box: a plain GET field named q in a form, and
    htmx attributes that fetch suggestions into a list under it."""
    for name, url in [("catalogue", reverse("catalog:opportunity_list")), ("home", reverse("catalog:home"))]:
        body = client.get(url).content.decode()
        box = re.search(r'<input [^>]*name="q"[^>]*>', body, re.S).group(0)
        assert f'hx-get="{reverse("catalog:suggest")}"' in box, name
        assert 'hx-trigger="input changed delay:250ms, search"' in box, name
        assert 'hx-target="#suggestions"' in box, name
        assert 'type="search"' in box, name
        assert '<div id="suggestions" class="suggestions"></div>' in body, name
        assert 'id="suggestions-status" class="visually-hidden" role="status"' in body, name
    # On the catalogue page the suggestions follow the filters; the form's own swap is not inherited.
    body = client.get(reverse("catalog:opportunity_list")).content.decode()
    assert 'hx-include="closest form"' in body
    assert 'hx-disinherit="*"' in body


# --- facet counts --------------------------------------------------------------------------------

WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def assert_weekday_counts(body: str, opportunities) -> None:
    """Each weekday checkbox is labelled with how many of `opportunities` have a session that day."""
    counts = Counter(
        day
        for opportunity in opportunities
        for day in {timezone.localtime(s.starts_at).isoweekday() for s in opportunity.sessions.all()}
    )
    for day, name in enumerate(WEEKDAY_NAMES, start=1):
        label = f'<label for="id_weekday_{day - 1}">{name} ({counts[day]})</label>'
        assert label in body, label


def test_filter_choices_show_how_many_results_they_give(client, catalogue, english, koganei, chitose):
    body = client.get(reverse("catalog:opportunity_list")).content.decode()
    assert re.search(r'<option value="calligraphy">Calligraphy \(1\)</option>', body)
    assert re.search(r'<option value="arts">Arts and culture \(all\) \(1\)</option>', body)
    assert re.search(r'<option value="132101">小金井市 \(4\)</option>', body)
    assert re.search(r'<option value="012246">千歳市 \(0\)</option>', body)
    assert re.search(r'<option value="seniors">Seniors \(3\)</option>', body)
    assert re.search(r'<option value="free">Free \(3\)</option>', body)
    assert re.search(r'<option value="paid">Paid \(1\)</option>', body)
    assert re.search(r'<option value=""( selected)?>Any</option>', body)
    assert_weekday_counts(body, catalogue.values())
    assert re.search(r'<label for="id_time_2">Evening \(夜間\) \(1\)</label>', body)
    assert re.search(r'<label for="id_childcare">Childcare offered \(1\):?</label>', body)


def test_counts_follow_the_search_and_keep_other_topics_one_click_away(client, catalogue, english):
    """With a topic chosen, the weekday counts are within it; the topic counts stay as if no topic
    were chosen, so switching is one click."""
    body = client.get(reverse("catalog:opportunity_list"), {"category": "calligraphy"}).content.decode()
    assert re.search(r'<label for="id_weekday_1">Tue \(0\)</label>', body)
    assert re.search(r'<label for="id_weekday_5">Sat \(1\)</label>', body)
    assert re.search(r'<option value="ict" selected>ICT and smartphones \(2\)</option>', body) or re.search(
        r'<option value="ict">ICT and smartphones \(2\)</option>', body
    )
    assert re.search(r'<option value="calligraphy" selected>Calligraphy \(1\)</option>', body)
    assert re.search(r'<label for="id_childcare">Childcare offered \(1\):?</label>', body)
    assert re.search(r'<label for="id_open_now">Accepting applications now \(0\):?</label>', body)


def test_htmx_swap_brings_the_new_counts_out_of_band(client, catalogue, english):
    """An htmx request gets the results and the filter fields with their new counts, marked to be
    swapped out of band; the keyword box is not in it, so its suggestions stay put."""
    response = client.get(reverse("catalog:opportunity_list"), {"q": "書道"}, **HX)
    body = response.content.decode()
    assert "<html" not in body
    assert '<section id="results"' in body
    assert '<div id="filter-fields" hx-swap-oob="true">' in body
    assert_weekday_counts(body, [catalogue["calligraphy"], catalogue["walk"]])
    assert 'name="q"' not in body
    # The full page has the same fields, not marked out of band.
    page = client.get(reverse("catalog:opportunity_list"), {"q": "書道"}).content.decode()
    assert '<div id="filter-fields">' in page


# --- sort ----------------------------------------------------------------------------------------


def selected_sort(response) -> str:
    return re.search(r'<option value="(\w+)" selected>', response.content.decode().split('name="sort"')[1]).group(1)


def test_a_keyword_sorts_by_relevance_by_default(client, catalogue):
    """書道 in the title ranks above 書道 in a description, though the walk comes sooner."""
    response = client.get(reverse("catalog:opportunity_list"), {"q": "書道"})
    assert titles(response) == ["はじめての書道", "郷土史さんぽ"]
    assert selected_sort(response) == "relevance"
    response = client.get(reverse("catalog:opportunity_list"), {"q": "書道", "sort": "relevance"})
    assert titles(response) == ["はじめての書道", "郷土史さんぽ"]


def test_date_and_newest_orders_apply_to_a_keyword_too(client, catalogue):
    response = client.get(reverse("catalog:opportunity_list"), {"q": "書道", "sort": "date"})
    assert titles(response) == ["郷土史さんぽ", "はじめての書道"]
    assert selected_sort(response) == "date"
    response = client.get(reverse("catalog:opportunity_list"), {"q": "書道", "sort": "newest"})
    assert titles(response) == ["郷土史さんぽ", "はじめての書道"]  # the walk was published last


def test_relevance_without_a_keyword_is_the_date_order_and_says_so(client, catalogue):
    response = client.get(reverse("catalog:opportunity_list"), {"sort": "relevance"})
    assert titles(response)[0] == "郷土史さんぽ"
    assert selected_sort(response) == "date"
    assert selected_sort(client.get(reverse("catalog:opportunity_list"))) == "date"


# --- nothing found -------------------------------------------------------------------------------


def nothing_found(response) -> str:
    assert titles(response) == []
    body = response.content.decode()
    return body.split('class="empty nothing-found"')[1].split("</section>")[0]


def test_nothing_found_offers_fewer_words_and_related_topics(client, catalogue, english):
    response = client.get(reverse("catalog:opportunity_list"), {"q": "書道 ぱぴぷぺ", "fee": ""})
    block = nothing_found(response)
    assert "Nothing matches “書道 ぱぴぷぺ”." in block
    found = links(block)
    shorter = parse_qs(urlparse(found["書道"]).query)
    assert shorter["q"] == ["書道"]
    assert "page" not in shorter
    topic = found["Calligraphy"]
    assert urlparse(topic).path == reverse("catalog:opportunity_list")
    assert parse_qs(urlparse(topic).query) == {"category": ["calligraphy"]}
    assert found["See every upcoming opportunity"] == reverse("catalog:opportunity_list")


def test_nothing_found_offers_close_spellings(client, catalogue, english):
    response = client.get(reverse("catalog:opportunity_list"), {"q": "スマートフャン"})
    block = nothing_found(response)
    assert "Did you mean:" in block
    spelling = links(block)["スマートフォン"]
    assert parse_qs(urlparse(spelling).query) == {"q": ["スマートフォン"]}


def test_nothing_found_says_which_filters_were_set_and_how_to_drop_them(client, catalogue, english):
    params = {"q": "スマホ", "weekday": ["6", "7"], "childcare": "on", "page": "2"}
    block = nothing_found(client.get(reverse("catalog:opportunity_list"), params))
    assert "Nothing matches “スマホ” with these filters:" in block
    found = links(block)
    weekday = next(href for text, href in found.items() if text.startswith("Day of the week: Sat, Sun"))
    assert parse_qs(urlparse(weekday).query) == {"q": ["スマホ"], "childcare": ["on"]}
    childcare = next(href for text, href in found.items() if text.startswith("Childcare offered: Yes"))
    assert parse_qs(urlparse(childcare).query) == {"q": ["スマホ"], "weekday": ["6", "7"]}
    without = found["Search “スマホ” without filters"]
    assert parse_qs(urlparse(without).query) == {"q": ["スマホ"]}
    assert "(remove this filter)" in block


def test_filters_alone_that_find_nothing_offer_to_clear_them(client, catalogue, english):
    block = nothing_found(client.get(reverse("catalog:opportunity_list"), {"format": "online"}))
    assert "Nothing matches these filters:" in block
    found = links(block)
    assert found["Clear all filters"] == reverse("catalog:opportunity_list")
    assert any(text.startswith("Format: Online") for text in found)


# --- the API gives the same answers --------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "書道"},
        {"q": "書道", "sort": "relevance"},
        {"q": "書道", "sort": "date"},
        {"q": "ｽﾏﾎ"},
        {"q": "ｽﾏﾎ", "sort": "newest"},
        {"sort": "relevance"},
        {"category": "arts", "childcare": "on"},
        {"weekday": "2", "time": "evening"},
    ],
)
def test_api_and_page_agree(client, catalogue, params):
    page = titles(client.get(reverse("catalog:opportunity_list"), params))
    api_params = {k: ("true" if v == "on" else v) for k, v in params.items()}
    api = [item["title"] for item in client.get("/api/opportunities", api_params).json()["items"]]
    assert api == page


def test_api_facets_are_the_page_counts(client, catalogue):
    page = client.get(reverse("catalog:opportunity_list"), {"q": "ｽﾏﾎ"})
    body = client.get("/api/opportunities", {"q": "ｽﾏﾎ", "facets": "true"}).json()
    facets = body["facets"]
    assert facets["weekday"]["2"] == 2
    assert facets["time"] == {"morning": 1, "afternoon": 0, "evening": 1}
    assert facets["childcare"] == 0
    assert facets["category"]["ict"] == 2
    form = page.context["form"]
    # "夜間（1）" in Japanese, "Evening (1)" in English.
    assert re.search(r"[(（]1[)）]$", str(dict(form.fields["time"].choices)["evening"]))
    assert client.get("/api/opportunities", {"q": "ｽﾏﾎ"}).json()["facets"] is None
