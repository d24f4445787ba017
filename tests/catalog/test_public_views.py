import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from manabiya.catalog import search_documents
from manabiya.catalog.models import AccessibilityFeature, Audience, Category, Venue
from manabiya.catalog.services import SessionSpec

from ..conftest import future

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [o.title for o in response.context["page"].object_list]


@pytest.fixture
def catalogue(kominkan, other_provider, provider_member, other_member, make_opportunity):
    """A small catalogue with one opportunity per distinguishing feature."""
    tuesday_morning = future(7, hour=10)
    while tuesday_morning.isoweekday() != 2:
        tuesday_morning += dt.timedelta(days=1)
    friday_evening = tuesday_morning + dt.timedelta(days=3, hours=9)
    return {
        "smartphone": make_opportunity(
            kominkan, provider_member, title="スマートフォン活用講座", status="published",
            sessions=[SessionSpec(starts_at=tuesday_morning, ends_at=tuesday_morning + dt.timedelta(hours=2))],
            summary="スマホの基本操作を学びます", capacity=20, application_method="first_come",
        ),
        "calligraphy": make_opportunity(
            other_provider, other_member, title="親子書道教室", status="published",
            sessions=[SessionSpec(starts_at=friday_evening)], fee=500,
            category=Category.objects.get(slug="calligraphy"),
            audiences=[Audience.objects.get(slug="infants-parents")], childcare_offered=True, childcare_capacity=5,
            accessibility=[AccessibilityFeature.objects.get(slug="sign-language")],
        ),
        "draft": make_opportunity(kominkan, provider_member, title="下書きの講座"),
        "submitted": make_opportunity(kominkan, provider_member, title="審査待ちの講座", status="submitted"),
        # On a Wednesday, whatever today is: the weekday filter must tell it from the Tuesday course.
        "cancelled": make_opportunity(
            kominkan, provider_member, title="中止になった講座", status="cancelled",
            sessions=[SessionSpec(starts_at=tuesday_morning + dt.timedelta(days=1))],
        ),
    }  # fmt: skip


def test_list_shows_published_and_cancelled_only(client, catalogue):
    """Drafts and submissions never reach the public list; a cancelled one stays, marked."""
    response = client.get(reverse("catalog:opportunity_list"))
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(["スマートフォン活用講座", "親子書道教室", "中止になった講座"])
    assert "badge-cancelled" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "calligraphy"}, ["親子書道教室"]),
        ({"category": "arts"}, ["親子書道教室"]),  # a top-level category includes its children
        ({"category": "industry"}, ["スマートフォン活用講座", "中止になった講座"]),
        ({"audience": "infants-parents"}, ["親子書道教室"]),
        ({"weekday": "2"}, ["スマートフォン活用講座"]),
        ({"time": "evening"}, ["親子書道教室"]),
        ({"weekday": "2", "time": "evening"}, []),
        ({"fee": "free"}, ["スマートフォン活用講座", "中止になった講座"]),
        ({"fee": "paid"}, ["親子書道教室"]),
        ({"childcare": "on"}, ["親子書道教室"]),
        ({"accessibility": "sign-language"}, ["親子書道教室"]),
        ({"open_now": "on"}, ["スマートフォン活用講座"]),
        # The cancelled course is in the ICT・スマホ topic, whose name is searched too; スマホ and
        # スマートフォン find each other, and half-width katakana folds to full width.
        ({"q": "スマホ"}, ["スマートフォン活用講座", "中止になった講座"]),
        ({"q": "ｽﾏｰﾄﾌｫﾝ"}, ["スマートフォン活用講座", "中止になった講座"]),
        ({"q": "書道 親子"}, ["親子書道教室"]),
        ({"municipality": "012246"}, []),
        ({"format": "online"}, []),
    ],
)
def test_filters(client, catalogue, chitose, params, expected):
    response = client.get(reverse("catalog:opportunity_list"), params)
    assert sorted(titles(response)) == sorted(expected)


def test_date_range_filter(client, catalogue):
    start = catalogue["calligraphy"].first_starts_at.date()
    response = client.get(reverse("catalog:opportunity_list"), {"date_from": start, "date_to": start})
    assert titles(response) == ["親子書道教室"]


def test_invalid_filter_input_does_not_break_the_page(client, catalogue):
    response = client.get(reverse("catalog:opportunity_list"), {"date_from": "notadate", "weekday": "9"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_venue_filter_matches_session_venues(client, catalogue, koganei):
    hall = Venue.objects.create(municipality=koganei, name="貫井北分館", address="東京都小金井市貫井北町1-1")
    opportunity = catalogue["calligraphy"]
    session = opportunity.sessions.get()
    session.venue = hall
    session.save()
    search_documents.reindex([opportunity.pk])  # the services do this; a session saved directly is not indexed
    response = client.get(reverse("catalog:venue_detail", args=[hall.pk]))
    assert titles(response) == ["親子書道教室"]


def test_htmx_request_renders_only_results(client, catalogue):
    response = client.get(reverse("catalog:opportunity_list"), {"q": "書道"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body
    assert "<html" not in body
    assert "親子書道教室" in body
    assert "HX-Request" in response["Vary"]


def test_list_query_count_does_not_grow(
    client, kominkan, provider_member, make_opportunity, django_assert_max_num_queries
):
    for i in range(3):
        make_opportunity(kominkan, provider_member, title=f"講座{i}", status="published")
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("catalog:opportunity_list"))
    for i in range(3, 15):
        make_opportunity(kominkan, provider_member, title=f"講座{i}", status="published")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("catalog:opportunity_list"))
    assert len(titles(response)) == 15


def test_empty_state_suggests_what_to_do(client, catalogue):
    response = client.get(reverse("catalog:opportunity_list"), {"q": "存在しない講座名"})
    assert titles(response) == []
    assert 'class="empty nothing-found"' in response.content.decode()


def test_home_shows_this_week_and_topics(client, catalogue, kominkan, provider_member, make_opportunity):
    make_opportunity(kominkan, provider_member, title="高齢者学級", status="published",
                     sessions=[SessionSpec(starts_at=future(2))])  # fmt: skip
    make_opportunity(kominkan, provider_member, title="来月の講座", status="published",
                     sessions=[SessionSpec(starts_at=future(30))])  # fmt: skip
    response = client.get(reverse("catalog:home"))
    assert response.status_code == 200
    this_week = [o.title for o in response.context["this_week"]]
    assert "高齢者学級" in this_week
    assert "来月の講座" not in this_week
    arts = next(c for c in response.context["categories"] if c.slug == "arts")
    assert arts.opportunity_count == 1


def test_draft_detail_is_hidden_from_public_but_not_from_its_provider(client, catalogue, provider_member, other_member):
    url = reverse("catalog:opportunity_detail", args=[catalogue["draft"].pk])
    assert client.get(url).status_code == 404
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(provider_member)
    assert client.get(url).status_code == 200


def test_cancelled_detail_says_so_with_reason(client, catalogue):
    response = client.get(reverse("catalog:opportunity_detail", args=[catalogue["cancelled"].pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "講師急病のため" in body


def json_ld(response) -> dict:
    match = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content.decode(), re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_detail_json_ld_has_event_essentials(client, catalogue):
    opportunity = catalogue["smartphone"]
    data = json_ld(client.get(reverse("catalog:opportunity_detail", args=[opportunity.pk])))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "EducationEvent"
    assert data["name"] == "スマートフォン活用講座"
    assert data["startDate"] == opportunity.sessions.get().starts_at.isoformat()
    assert data["location"]["name"] == "小金井市公民館本館"
    assert data["location"]["address"]["addressLocality"] == "小金井市"
    assert data["offers"]["price"] == 0
    assert data["offers"]["priceCurrency"] == "JPY"


def test_json_ld_cannot_break_out_of_its_script(client, kominkan, provider_member, make_opportunity):
    opportunity = make_opportunity(
        kominkan, provider_member, title="</script><script>alert(1)</script>", status="published"
    )
    response = client.get(reverse("catalog:opportunity_detail", args=[opportunity.pk]))
    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)["name"] == "</script><script>alert(1)</script>"


def test_ics_parses_with_one_event_per_session(client, kominkan, provider_member, make_opportunity):
    start = future(3, hour=13)
    opportunity = make_opportunity(
        kominkan, provider_member, title="成人大学講座", status="published",
        sessions=[SessionSpec(starts_at=start + dt.timedelta(weeks=w), ends_at=start + dt.timedelta(weeks=w, hours=2))
                  for w in range(3)],
    )  # fmt: skip
    response = client.get(reverse("catalog:opportunity_ics", args=[opportunity.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    assert str(events[0]["SUMMARY"]) == "成人大学講座"
    assert events[0].decoded("DTSTART") == start
    assert events[0].decoded("DTEND") == start + dt.timedelta(hours=2)
    assert "小金井市公民館本館" in str(events[0]["LOCATION"])


def test_ics_of_a_draft_is_not_public(client, catalogue):
    assert client.get(reverse("catalog:opportunity_ics", args=[catalogue["draft"].pk])).status_code == 404


def test_provider_page_lists_its_public_opportunities(client, catalogue, kominkan):
    response = client.get(reverse("catalog:organization_detail", args=[kominkan.pk]))
    assert sorted(titles(response)) == sorted(["スマートフォン活用講座", "中止になった講座"])


def test_english_interface(client, catalogue):
    response = client.get(reverse("catalog:opportunity_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in response.content.decode()
    response = client.get(reverse("catalog:opportunity_list"))
    assert '<html lang="ja">' in response.content.decode()


def test_home_links_each_municipalitys_open_data(client, catalogue, koganei):
    body = client.get(reverse("catalog:home")).content.decode()
    assert f"{reverse('catalog:export_csv')}?municipality=132101" in body


def test_an_event_under_way_stays_listed_until_it_ends(client, kominkan, provider_member, make_opportunity):
    """A month-long exhibition that opened three days ago is still on; one that closed is not."""
    now = future(0)
    make_opportunity(
        kominkan, provider_member, title="郷土資料展", status="published",
        sessions=[SessionSpec(starts_at=now - dt.timedelta(days=3), ends_at=now + dt.timedelta(days=20))],
    )  # fmt: skip
    make_opportunity(
        kominkan, provider_member, title="終わった展示", status="published",
        sessions=[SessionSpec(starts_at=now - dt.timedelta(days=30), ends_at=now - dt.timedelta(days=1))],
    )  # fmt: skip
    assert titles(client.get(reverse("catalog:opportunity_list"))) == ["郷土資料展"]
    assert "郷土資料展" in [o.title for o in client.get(reverse("catalog:home")).context["this_week"]]


def test_only_an_end_date_still_starts_from_today(client, kominkan, provider_member, make_opportunity):
    past = future(-400)
    make_opportunity(kominkan, provider_member, title="昔の講座", status="published",
                     sessions=[SessionSpec(starts_at=past, ends_at=past + dt.timedelta(hours=2))])  # fmt: skip
    make_opportunity(kominkan, provider_member, title="来週の講座", status="published")
    response = client.get(reverse("catalog:opportunity_list"), {"date_to": future(30).date()})
    assert titles(response) == ["来週の講座"]


def test_detail_query_count_does_not_grow_with_sessions(
    client, kominkan, provider_member, make_opportunity, koganei, django_assert_max_num_queries
):
    halls = [Venue.objects.create(municipality=koganei, name=f"分館{i}", address=f"本町{i}") for i in range(8)]
    start = future(3)
    few = make_opportunity(kominkan, provider_member, title="二回講座", status="published",
                           sessions=[SessionSpec(starts_at=start + dt.timedelta(weeks=w), venue_id=halls[w].pk)
                                     for w in range(2)])  # fmt: skip
    many = make_opportunity(kominkan, provider_member, title="八回講座", status="published",
                            sessions=[SessionSpec(starts_at=start + dt.timedelta(weeks=w), venue_id=halls[w].pk)
                                      for w in range(8)])  # fmt: skip
    with django_assert_max_num_queries(20) as baseline:
        client.get(reverse("catalog:opportunity_detail", args=[few.pk]))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse("catalog:opportunity_detail", args=[many.pk]))
