import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from manabiya.catalog.models import AccessibilityFeature, Audience, Category, Venue
from manabiya.catalog.services import SessionSpec

from ..conftest import future

pytestmark = pytest.mark.django_db


def next_weekday(isoweekday: int, hour: int, *, weeks_ahead: int = 1) -> dt.datetime:
    """The local `hour` o'clock on the given weekday, at least `weeks_ahead` weeks from now."""
    start = timezone.localtime() + dt.timedelta(weeks=weeks_ahead)
    day = start.date() + dt.timedelta(days=(isoweekday - start.isoweekday()) % 7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def sessions_at(*starts: dt.datetime, venue: Venue | None = None) -> list[SessionSpec]:
    return [
        SessionSpec(starts_at=s, ends_at=s + dt.timedelta(hours=2), venue_id=venue.pk if venue else None)
        for s in starts
    ]


@pytest.fixture
def published(kominkan, provider_member, coordinator, make_opportunity):
    """A Tuesday-morning smartphone course with captioning, published."""
    return make_opportunity(
        kominkan,
        provider_member,
        title="スマートフォン入門",
        title_kana="すまーとふぉんにゅうもん",
        summary="LINEの使い方から",
        description="全3回の講座です。",
        status="published",
        sessions=sessions_at(next_weekday(2, 10), next_weekday(2, 10, weeks_ahead=2)),
        capacity=20,
        application_method="first_come",
        childcare_offered=True,
        childcare_capacity=5,
        accessibility=[AccessibilityFeature.objects.get(slug="captioning")],
    )


@pytest.fixture
def evening_calligraphy(kominkan, provider_member, coordinator, make_opportunity):
    """A Thursday-evening calligraphy class, published, with a fee."""
    return make_opportunity(
        kominkan,
        provider_member,
        title="夜の書道教室",
        status="published",
        sessions=sessions_at(next_weekday(4, 19)),
        category=Category.objects.get(slug="calligraphy"),
        audiences=[Audience.objects.get(slug="working-age")],
        fee=1500,
    )


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_list_shows_public_opportunities_only(client, kominkan, provider_member, make_opportunity, published):
    """Drafts and submissions under review stay out of the API; published ones are listed."""
    make_opportunity(kominkan, provider_member, title="下書きの講座", status="draft")
    make_opportunity(kominkan, provider_member, title="審査中の講座", status="submitted")
    response = client.get("/api/opportunities")
    assert titles(response) == ["スマートフォン入門"]
    assert response.json()["count"] == 1


def test_list_item_carries_the_catalogue_fields(client, published, venue):
    """An item has the provider, place, category, tags, sessions and the page's absolute URL."""
    venue.latitude, venue.longitude = "35.699000", "139.503000"
    venue.save()
    item = client.get("/api/opportunities").json()["items"][0]
    assert item["id"] == published.pk
    assert item["title_kana"] == "すまーとふぉんにゅうもん"
    assert item["summary"] == "LINEの使い方から"
    assert "description" not in item
    assert item["provider"] == {"id": published.provider_id, "name": "小金井市公民館本館"}
    assert item["municipality"] == {"code": "132101", "name": "小金井市"}
    assert item["category"] == {"slug": "ict", "name": "ICT・スマホ"}
    assert item["audiences"] == [{"slug": "seniors", "name": "高齢者"}]
    assert item["accessibility"] == [{"slug": "captioning", "name": "要約筆記"}]
    assert item["format"] == "in_person"
    assert item["fee"] == 0
    assert item["capacity"] == 20
    assert item["application_method"] == "first_come"
    assert item["childcare"] == {"offered": True, "capacity": 5, "ages": ""}
    assert item["status"] == "published"
    assert item["venue"] == {
        "id": venue.pk,
        "name": "小金井市公民館本館",
        "address": "東京都小金井市本町1-2-3",
        "lat": 35.699,
        "lon": 139.503,
    }
    assert len(item["sessions"]) == 2
    first = item["sessions"][0]
    assert first["starts_at"] == next_weekday(2, 10).isoformat()
    assert first["starts_at"].endswith("+09:00")
    assert first["venue"]["name"] == "小金井市公民館本館"
    assert item["url"] == f"http://testserver/opportunities/{published.pk}/"


def test_session_at_another_venue_names_that_venue(
    client, kominkan, provider_member, coordinator, make_opportunity, koganei
):
    """A date held elsewhere reports its own venue; the others report the opportunity's."""
    annex = Venue.objects.create(municipality=koganei, name="貫井北分館", address="東京都小金井市貫井北町1-1")
    make_opportunity(
        kominkan,
        provider_member,
        status="published",
        sessions=[*sessions_at(future(7)), *sessions_at(future(14), venue=annex)],
    )
    sessions = client.get("/api/opportunities").json()["items"][0]["sessions"]
    assert [s["venue"]["name"] for s in sessions] == ["小金井市公民館本館", "貫井北分館"]


def test_filters_match_the_catalogue_page(client, published, evening_calligraphy):
    """Category, weekday, time of day, fee, childcare, audience and keywords filter as on the page."""
    assert titles(client.get("/api/opportunities", {"category": "arts"})) == ["夜の書道教室"]
    assert titles(client.get("/api/opportunities", {"category": "ict"})) == ["スマートフォン入門"]
    assert titles(client.get("/api/opportunities", {"weekday": 4, "time": "evening"})) == ["夜の書道教室"]
    assert titles(client.get("/api/opportunities", {"weekday": 4, "time": "morning"})) == []
    assert titles(client.get("/api/opportunities", {"fee": "free"})) == ["スマートフォン入門"]
    assert titles(client.get("/api/opportunities", {"fee": "paid"})) == ["夜の書道教室"]
    assert titles(client.get("/api/opportunities", {"childcare": "true"})) == ["スマートフォン入門"]
    assert titles(client.get("/api/opportunities", {"audience": "working-age"})) == ["夜の書道教室"]
    assert titles(client.get("/api/opportunities", {"accessibility": "captioning"})) == ["スマートフォン入門"]
    assert titles(client.get("/api/opportunities", {"q": "ｽﾏｰﾄﾌｫﾝ"})) == ["スマートフォン入門"]
    assert titles(client.get("/api/opportunities", {"municipality": "012246"})) == []


def test_repeated_parameters_combine(client, published, evening_calligraphy):
    """weekday and time may be given several times: any of them matches."""
    response = client.get("/api/opportunities?weekday=2&weekday=4&time=morning&time=evening")
    assert sorted(titles(response)) == ["スマートフォン入門", "夜の書道教室"]
    assert titles(client.get("/api/opportunities?weekday=2&weekday=3")) == ["スマートフォン入門"]


def test_date_range_and_sort(client, published, evening_calligraphy):
    """date_from/date_to keep opportunities with a date in the range; sort=newest orders by publication."""
    thursday = next_weekday(4, 19).date()
    response = client.get("/api/opportunities", {"date_from": thursday, "date_to": thursday})
    assert titles(response) == ["夜の書道教室"]
    assert titles(client.get("/api/opportunities", {"sort": "newest"}))[0] == "夜の書道教室"


def test_keyword_results_come_best_match_first(client, kominkan, provider_member, coordinator, make_opportunity):
    """With q, the default order is relevance: the keyword in the title beats the keyword in the
    description, though that one comes sooner; sort=date still orders by date."""
    make_opportunity(kominkan, provider_member, title="郷土史さんぽ", description="書道の体験もあります。",
                     status="published", sessions=sessions_at(future(2)))  # fmt: skip
    make_opportunity(kominkan, provider_member, title="はじめての書道", status="published",
                     sessions=sessions_at(future(9)))  # fmt: skip
    assert titles(client.get("/api/opportunities", {"q": "書道"})) == ["はじめての書道", "郷土史さんぽ"]
    assert titles(client.get("/api/opportunities", {"q": "書道", "sort": "relevance"})) == [
        "はじめての書道",
        "郷土史さんぽ",
    ]
    assert titles(client.get("/api/opportunities", {"q": "書道", "sort": "date"})) == ["郷土史さんぽ", "はじめての書道"]
    # Without a keyword there is nothing to be relevant to: the date order.
    assert titles(client.get("/api/opportunities", {"sort": "relevance"})) == ["郷土史さんぽ", "はじめての書道"]


def test_facets_count_each_filter_value(client, published, evening_calligraphy):
    """facets=true adds, for each filter, how many results each value gives."""
    body = client.get("/api/opportunities", {"facets": "true"}).json()
    facets = body["facets"]
    assert facets["weekday"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0, "6": 0, "7": 0}
    assert facets["time"] == {"morning": 1, "afternoon": 0, "evening": 1}
    assert facets["fee"] == {"free": 1, "paid": 1}
    assert facets["childcare"] == 1
    assert facets["open_now"] == 1
    assert facets["municipality"] == {"132101": 2}
    assert facets["category"]["arts"] == 1
    assert facets["category"]["calligraphy"] == 1
    assert facets["category"]["ict"] == 1
    assert facets["audience"]["working-age"] == 1
    assert facets["accessibility"]["captioning"] == 1
    assert facets["format"]["in_person"] == 2
    # Within a search: the counts narrow with it, except the topic's own, so others stay in view.
    facets = client.get("/api/opportunities", {"facets": "true", "category": "calligraphy"}).json()["facets"]
    assert facets["weekday"]["2"] == 0
    assert facets["weekday"]["4"] == 1
    assert facets["category"]["ict"] == 1
    assert client.get("/api/opportunities").json()["facets"] is None


def test_suggestions_as_a_keyword_is_typed(client, published, evening_calligraphy, kominkan, provider_member,
                                           make_opportunity):  # fmt: skip
    """ｽﾏﾎ suggests the スマートフォン course and the ICT・スマホ topic, with the page's URL."""
    sumaho = make_opportunity(kominkan, provider_member, title="スマホ相談会", status="published")
    body = client.get("/api/opportunities/suggestions", {"q": "ｽﾏﾎ"}).json()
    assert body["q"] == "ｽﾏﾎ"
    assert sorted(item["title"] for item in body["items"]) == ["スマホ相談会", "スマートフォン入門"]
    assert body["count"] == 2
    assert {"slug": "ict", "name": "ICT・スマホ"} in body["categories"]
    item = next(i for i in body["items"] if i["id"] == sumaho.pk)
    assert item == {"id": sumaho.pk, "title": "スマホ相談会", "status": "published",
                    "url": f"http://testserver/opportunities/{sumaho.pk}/"}  # fmt: skip
    limited = client.get("/api/opportunities/suggestions", {"q": "ｽﾏﾎ", "limit": 1}).json()
    assert len(limited["items"]) + len(limited["categories"]) == 1
    assert client.get("/api/opportunities/suggestions", {"q": " "}).json() == {
        "q": "",
        "count": 0,
        "categories": [],
        "items": [],
    }
    assert client.get("/api/opportunities/suggestions", {"limit": 50}).status_code == 422


def test_page_query_string_with_blank_fields_is_accepted(client, published):
    """A query string copied from the catalogue page, with its empty fields, works as-is."""
    response = client.get(
        "/api/opportunities?q=&municipality=&category=ict&audience=&date_from=&date_to=&fee=&format="
        "&childcare=on&sort=&venue=&provider="
    )
    assert titles(response) == ["スマートフォン入門"]


def test_cancelled_opportunity_is_listed_as_cancelled(client, kominkan, provider_member, make_opportunity):
    """A cancelled opportunity stays public, marked as cancelled."""
    cancelled = make_opportunity(kominkan, provider_member, status="cancelled")
    item = client.get("/api/opportunities").json()["items"][0]
    assert (item["id"], item["status"]) == (cancelled.pk, "cancelled")
    assert client.get(f"/api/opportunities/{cancelled.pk}").json()["status"] == "cancelled"


@pytest.fixture
def five_published(kominkan, provider_member, coordinator, make_opportunity):
    return [
        make_opportunity(
            kominkan,
            provider_member,
            title=f"講座{n}",
            status="published",
            sessions=sessions_at(future(n + 1)),
        )
        for n in range(5)
    ]


def test_limit_and_offset_page_the_results(client, five_published):
    """limit/offset page through the results in date order, with next and previous links."""
    body = client.get("/api/opportunities", {"limit": 2, "offset": 2}).json()
    assert (body["count"], body["count_exact"]) == (5, True)
    assert (body["limit"], body["offset"]) == (2, 2)
    assert [i["title"] for i in body["items"]] == ["講座2", "講座3"]
    assert body["next"] == "http://testserver/api/opportunities?limit=2&offset=4"
    assert body["previous"] == "http://testserver/api/opportunities?limit=2&offset=0"
    last = client.get(body["next"]).json()
    assert [i["title"] for i in last["items"]] == ["講座4"]
    assert last["next"] is None


def test_page_number_pages_the_results(client, five_published):
    """page counts pages of `limit` items from 1; past the end there are no items."""
    body = client.get("/api/opportunities", {"limit": 2, "page": 2}).json()
    assert [i["title"] for i in body["items"]] == ["講座2", "講座3"]
    assert body["offset"] == 2
    first = client.get("/api/opportunities", {"limit": 2, "page": 1}).json()
    assert first["previous"] is None
    beyond = client.get("/api/opportunities", {"limit": 2, "page": 9}).json()
    assert (beyond["count"], beyond["items"], beyond["next"]) == (5, [], None)


def test_list_query_count_does_not_grow_with_rows(
    client, kominkan, provider_member, coordinator, make_opportunity, koganei, django_assert_max_num_queries
):
    """Listing opportunities, each with tags and several dates at different venues, takes a fixed
    number of queries: the search index's (synonyms, count, the page's ids), the rows, and one per
    kind of related row."""
    support = list(AccessibilityFeature.objects.filter(scope="opportunity")[:2])
    audiences = list(Audience.objects.all()[:3])

    def add(n: int) -> None:
        annex = Venue.objects.create(municipality=koganei, name=f"分館{n}", address=f"本町{n}")
        make_opportunity(
            kominkan,
            provider_member,
            title=f"講座{n}",
            status="published",
            audiences=audiences,
            accessibility=support,
            category=Category.objects.get(slug="music"),
            sessions=[*sessions_at(future(n + 1)), *sessions_at(future(n + 20), venue=annex)],
        )

    for n in range(2):
        add(n)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/opportunities", {"limit": 50})
    for n in range(2, 12):
        add(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/opportunities", {"limit": 50}).json()
    assert len(body["items"]) == 12
    assert all(len(item["sessions"]) == 2 and len(item["audiences"]) == 3 for item in body["items"])


def test_detail_of_a_public_opportunity(client, published, django_assert_max_num_queries):
    """The detail adds the description and the rest of the page's facts."""
    with django_assert_max_num_queries(4):
        response = client.get(f"/api/opportunities/{published.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "スマートフォン入門"
    assert body["description"] == "全3回の講座です。"
    assert body["url"] == f"http://testserver/opportunities/{published.pk}/"
    assert len(body["sessions"]) == 2


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_detail_of_a_non_public_opportunity_is_not_found(client, kominkan, provider_member, make_opportunity, status):
    """Drafts and submissions answer 404, exactly like an id that does not exist."""
    opportunity = make_opportunity(kominkan, provider_member, status=status)
    assert client.get(f"/api/opportunities/{opportunity.pk}").status_code == 404
    assert client.get("/api/opportunities/999999").status_code == 404


def test_detail_hides_drafts_from_their_own_provider(client, kominkan, provider_member, make_opportunity):
    """The API is the public view: even a logged-in member does not read a draft through it."""
    draft = make_opportunity(kominkan, provider_member, status="draft")
    client.force_login(provider_member)
    assert client.get(f"/api/opportunities/{draft.pk}").status_code == 404


def test_municipalities(client, koganei, chitose):
    """Municipalities are listed by local government code."""
    body = client.get("/api/municipalities").json()
    assert [m["code"] for m in body] == ["012246", "132101"]
    assert body[1]["name"] == "小金井市"
    assert set(body[1]) == {"code", "name", "name_kana", "prefecture"}


def test_categories_form_a_tree(client, django_assert_max_num_queries):
    """Top-level categories carry their subcategories, in their display order."""
    with django_assert_max_num_queries(2):
        body = client.get("/api/categories").json()
    industry = next(c for c in body if c["slug"] == "industry")
    assert industry["name"] == "産業・技術"
    assert [c["slug"] for c in industry["children"]] == ["ict", "career", "agriculture"]
    assert industry["children"][0] == {"slug": "ict", "name": "ICT・スマホ", "name_en": "ICT and smartphones"}
    assert all(c["slug"] != "ict" for c in body)


def test_audiences(client):
    """Audiences are listed in display order with their English names."""
    body = client.get("/api/audiences").json()
    assert body[0] == {"slug": "infants-parents", "name": "乳幼児と保護者", "name_en": "Infants with parents"}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("date_from=notadate", "date_from", "valid date"),
        ("date_to=2025-02-30", "date_to", "valid date"),
        ("weekday=8", "weekday", "less than or equal to 7"),
        ("time=midnight", "time", "morning"),
        ("format=carrier-pigeon", "format", "in_person"),
        ("fee=cheap", "fee", "free"),
        ("limit=1000", "limit", "less than or equal to 100"),
        ("venue=hall", "venue", "valid integer"),
        ("municipality=Tokyo", "municipality", "pattern"),
        ("sort=random", "sort", "date"),
    ],
)
def test_invalid_parameters_answer_422_naming_the_parameter(client, english, query, field, message):
    """A malformed parameter is refused with 422, saying which parameter and why."""
    response = client.get("/api/opportunities?" + query)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(e["loc"][-1] == field or field in e["loc"] for e in errors), errors
    assert any(message in e["msg"] for e in errors), errors


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2030-05-02&date_to=2030-05-01", "date_to must not be before date_from"),
        ("offset=10&page=2", "either offset or page"),
    ],
)
def test_inconsistent_parameters_answer_422(client, query, message):
    """Parameters that contradict each other are refused with a message naming them."""
    response = client.get("/api/opportunities?" + query)
    assert response.status_code == 422
    assert any(message in e["msg"] for e in response.json()["detail"])


def test_openapi_schema_lists_every_endpoint(client):
    """The OpenAPI document is served and describes each endpoint and the search parameters."""
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Manabiya API"
    assert {
        "/api/opportunities",
        "/api/opportunities/suggestions",
        "/api/opportunities/{opportunity_id}",
        "/api/municipalities",
        "/api/categories",
        "/api/audiences",
    } <= set(schema["paths"])
    parameters = {p["name"]: p for p in schema["paths"]["/api/opportunities"]["get"]["parameters"]}
    assert {
        "q",
        "sort",
        "facets",
        "category",
        "date_from",
        "weekday",
        "time",
        "accessibility",
        "limit",
        "offset",
        "page",
    } <= set(parameters)
    assert "relevance" in str(parameters["sort"]["schema"])
    page = schema["paths"]["/api/opportunities"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert page["$ref"].endswith("/OpportunityPage")
    assert "facets" in schema["components"]["schemas"]["OpportunityPage"]["properties"]
    assert "FacetsOut" in schema["components"]["schemas"]
    # Every reference resolves.
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(schema)))
    assert refs <= set(schema["components"]["schemas"])


def test_api_docs_page_is_served(client):
    """The interactive documentation page answers and points at the schema."""
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
