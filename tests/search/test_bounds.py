"""The bounded reads: counts and facets above the cap are estimates and say so, pages stop at the
cap, ended opportunities leave the index, and the text index holds exactly the documents."""

import datetime as dt
import math

import pytest
from django.db import connection
from django.utils import timezone

from manabiya.catalog import services as catalog_services
from manabiya.catalog.facets import facet_counts
from manabiya.catalog.models import ApplicationMethod
from manabiya.catalog.selectors import CatalogQuery, catalog_search
from manabiya.catalog.selectors_search import run_search
from manabiya.search import selectors as search
from manabiya.search.backends.base import Match
from manabiya.search.documents import SAMPLE_LEVELS
from manabiya.search.models import SearchDocument
from manabiya.search.query import Plan
from manabiya.search.services import prune_ended

from .conftest import Spec, on, publish


def _many(world, count: int, **spec) -> list:
    return [publish(world, Spec(title=f"手話サークル 第{n}回", week=1 + n % 5, **spec)) for n in range(count)]


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 5)
    monkeypatch.setattr(search, "SAMPLE_TARGET", 4)


def test_below_the_cap_counts_and_facets_are_exact(world):
    _many(world, 6)
    found = run_search(query=CatalogQuery(q="手話"), fetch=lambda qs: qs)
    assert found.results.total == search.Count(6, exact=True)
    facets = facet_counts(found)
    assert facets.exact
    assert facets.counts["weekday"]["2"] == 6


def test_above_the_cap_the_count_is_an_estimate_and_pages_stop(world, small_cap):
    _many(world, 12)
    results = catalog_search(query=CatalogQuery(q="手話"))
    assert not results.total.exact
    assert results.total.value > search.COUNT_CAP
    assert results.count() == search.COUNT_CAP  # the paginator pages through the cap only
    assert len(results.object_ids()) == search.COUNT_CAP
    found = run_search(query=CatalogQuery(q="手話"), fetch=lambda qs: qs)
    facets = facet_counts(found)
    assert not facets.exact
    # Every sampled course is on a Tuesday, so the page's estimate for Tuesday is its estimated total.
    assert facets.counts["weekday"]["2"] == found.results.total.value
    assert facets.counts["weekday"]["3"] == 0


def test_an_estimate_from_every_bucket_is_the_exact_count(world, small_cap, monkeypatch):
    _many(world, 12)
    monkeypatch.setattr(search, "SAMPLE_TARGET", 10**6)  # the sample grows to every document
    assert search.count(catalog_search(query=CatalogQuery(q="手話")).match) == search.Count(12, exact=True)


def test_newest_first_above_the_cap_orders_the_soonest_matches(world, small_cap):
    courses = _many(world, 8)  # weeks 1, 2, 3, 4, 5, 1, 2, 3: created (published) in this order
    soonest = sorted(courses, key=lambda c: (c.first_starts_at, c.pk))[: search.COUNT_CAP]
    newest = catalog_search(query=CatalogQuery(q="手話", sort="newest")).object_ids()
    assert newest == [c.pk for c in sorted(soonest, key=lambda c: (c.published_at, c.pk), reverse=True)]


def test_on_the_same_day_open_applications_come_first(world):
    day = on(3, hour=9, week=2)
    closed = publish(world, Spec(title="手話で話そう 午前の部", weekday=3, hour=9, week=2))
    opened = publish(
        world,
        Spec(
            title="手話で話そう 午後の部",
            weekday=3,
            hour=14,
            week=2,
            extra={
                "application_method": ApplicationMethod.FIRST_COME,
                "capacity": 20,
                "application_opens_at": timezone.now() - dt.timedelta(days=1),
                "application_closes_at": day - dt.timedelta(days=1),
            },
        ),
    )
    later = publish(world, Spec(title="手話で話そう 翌週", weekday=3, hour=9, week=3))
    assert catalog_search(query=CatalogQuery(q="手話")).object_ids() == [opened.pk, closed.pk, later.pk]
    # By date alone the morning comes first.
    assert catalog_search(query=CatalogQuery(q="手話", sort="date")).object_ids() == [closed.pk, opened.pk, later.pk]


def test_ended_opportunities_are_pruned_from_the_index(world):
    soon, later = publish(world, Spec(title="野鳥観察会", week=1)), publish(world, Spec(title="野鳥の絵", week=3))
    after_the_first = soon.last_ends_at + dt.timedelta(hours=1)

    # Until pruning, the search itself leaves the ended one out.
    assert catalog_search(query=CatalogQuery(q="野鳥"), now=after_the_first).object_ids() == [later.pk]
    assert prune_ended(now=after_the_first) == 1
    assert list(SearchDocument.objects.values_list("object_id", flat=True)) == [later.pk]
    assert catalog_search(query=CatalogQuery(q="野鳥"), now=after_the_first).object_ids() == [later.pk]


def _text_index_rows() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH '\"¤kopportunity\"'")
        else:
            cursor.execute("SELECT count(*) FROM search_document WHERE tsv IS NOT NULL")
        return cursor.fetchone()[0]


def test_the_text_index_holds_exactly_the_documents_after_edits(world):
    course = publish(world, Spec(title="書道教室"))
    other = publish(world, Spec(title="料理教室"))
    for title in ("書道教室 春", "書道教室 夏", "書道教室 秋"):
        catalog_services.opportunity_update(actor=world.members["132101"], opportunity=course, title=title)
    catalog_services.opportunity_withdraw(actor=world.members["132101"], opportunity=other)

    assert SearchDocument.objects.count() == 1
    assert _text_index_rows() == 1
    assert catalog_search(query=CatalogQuery(q="書道")).object_ids() == [course.pk]
    assert catalog_search(query=CatalogQuery(q="夏")).object_ids() == []


def _guess_for(monkeypatch, window: list, background: list) -> int:
    monkeypatch.setattr(search, "_background", lambda kind: background)
    match = Match(kind="opportunity", plan=Plan("", []))
    match.memo["window"] = window
    return search._likely_level(match)


def test_how_far_a_full_window_reached_tells_the_sample_level(monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 99)
    monkeypatch.setattr(search, "SAMPLE_TARGET", 10)
    monkeypatch.setattr(search, "BACKGROUND_MINIMUM", 50)
    evenly = [(key, key) for key in range(0, 1000, 10)]  # 100 documents along the index order
    # 100 matches within the first tenth of the documents: about 1,000 in all, 8 of them at level 7.
    assert _guess_for(monkeypatch, [(key, key) for key in range(100)], evenly) == 7
    # The same matches spread over every document: about 100, level 3 holds 12 of them.
    assert _guess_for(monkeypatch, [(key * 10, key * 10) for key in range(100)], evenly) == 3
    # Too small a background tells nothing: start from the smallest level.
    assert _guess_for(monkeypatch, [(key, key) for key in range(100)], evenly[:49]) == SAMPLE_LEVELS


def _counted(monkeypatch, matches: list, background: list) -> tuple[search.Count, Match]:
    """`search.count` over these matches, with every sample level already read (level n: every
    2ⁿ-th match), so that no level is walked."""
    monkeypatch.setattr(search, "COUNT_CAP", 99)
    monkeypatch.setattr(search, "SAMPLE_TARGET", 10)
    monkeypatch.setattr(search, "BACKGROUND_MINIMUM", 50)
    monkeypatch.setattr(search, "_background", lambda kind: background)
    match = Match(kind="opportunity", plan=Plan("", []))
    match.memo["window"] = matches[:100]
    match.memo["levels"] = {level: matches[:: 2**level] for level in range(SAMPLE_LEVELS + 1)}
    return search.count(match), match


def test_above_the_cap_only_the_matches_after_the_window_are_estimated(monkeypatch):
    evenly = [(key, key) for key in range(0, 1000, 10)]  # 100 documents along the index order
    matches = [(n * 6, n * 6) for n in range(160)]  # the window reaches 60 % of the way: ~165 in all
    found, match = _counted(monkeypatch, matches, evenly)
    # A sample that counts the ~66 after the window to ±1/√10 of the total is coarser than one
    # that counts all of them as closely: level 5, where the whole sample would take level 4.
    assert search._likely_level(match) == 4
    after_the_window = [position for position in matches[::32] if position > matches[98]]
    assert found == search.Count(99 + 32 * len(after_the_window), exact=False)
    assert abs(found.value - len(matches)) <= len(matches) / math.sqrt(10)  # 131 of 160
    # The facets' sample then takes the level the count read, which holds enough, over walking level 4.
    match.memo["levels"] = {5: match.memo["levels"][5]}
    assert search.sample(match).fraction == 1 / 32


def test_a_rest_larger_than_the_background_suggests_is_counted_from_a_finer_level(monkeypatch):
    evenly = [(key, key) for key in range(0, 1000, 10)]
    # The window reaches the end of the documents the background knows; 900 more matches come after.
    matches = [(n * 10, n * 10) for n in range(100)] + [(1000 + n, 1000 + n) for n in range(900)]
    found, _match = _counted(monkeypatch, matches, evenly)
    # Level 10 holds none of the rest, which says too little; level 7 holds seven of them.
    assert found == search.Count(99 + 7 * 128, exact=False)
