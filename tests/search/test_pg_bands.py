"""PostgreSQL's bands: partial text indexes that divide the documents by their start, which a
walk's stretches read instead of the full index, and which move along as documents end."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manabiya.catalog.selectors import CatalogQuery
from manabiya.catalog.selectors_search import run_search
from manabiya.search.backends import backend
from manabiya.search.backends.pg_dates import BOUND_SHARES, usable_bands
from manabiya.search.documents import WEEK_MINUTES
from manabiya.search.models import SearchDocument

from .conftest import Spec, fill_documents, publish

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="bands are PostgreSQL's")


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def _bands_read(captured: CaptureQueriesContext) -> list[str]:
    """The index each text query of `captured` reads."""
    plans = [_plan(query["sql"]) for query in captured.captured_queries if "@@" in query["sql"]]
    scan = "Bitmap Index Scan on "
    return [plan.split(scan, 1)[1].split()[0] if scan in plan else plan for plan in plans]


def test_the_first_stretch_of_a_walk_reads_the_first_band(world):
    fill_documents(weeks=50, per_week=400, word="料理")
    backend().optimize()
    bands = usable_bands()
    assert len(bands) == len(BOUND_SHARES) + 1
    match = run_search(query=CatalogQuery(q="料理"), fetch=lambda qs: qs).results.match
    with CaptureQueriesContext(connection) as captured:
        found = backend().walk(match, limit=5)
    assert len(found) == 5
    assert _bands_read(captured)[0] == f"search_document_tsv_band_x_{bands[0][1]}"


def test_a_walk_through_every_document_reads_each_band_and_never_the_full_index(world):
    fill_documents(weeks=50, per_week=400, word="料理")
    backend().optimize()
    match = run_search(query=CatalogQuery(q="料理"), fetch=lambda qs: qs).results.match
    every = SearchDocument.objects.count()
    with CaptureQueriesContext(connection) as captured:
        found = backend().walk(match, limit=every + 1)
    assert len(found) == every
    read = _bands_read(captured)
    assert set(read) == {f"search_document_tsv_band_{low or 'x'}_{high or 'x'}" for low, high in usable_bands()}, read


def test_walks_through_bands_return_the_soonest_matches_in_order(world):
    for n in range(40):
        publish(world, Spec(title=f"手話講座 {n}" if n % 3 else f"料理教室 {n}", week=1 + (n * 7) % 23, hour=9 + n % 8))
    backend().optimize()
    assert len(usable_bands()) == len(BOUND_SHARES) + 1
    index = backend()
    for text in ["手話", "料理", "講座", ""]:
        match = run_search(query=CatalogQuery(q=text), fetch=lambda qs: qs).results.match
        every = index._collect(match, None, None)
        for limit in [1, 2, 5, 13, len(every), len(every) + 5]:
            assert index.walk(match, limit=limit) == every[:limit], (text, limit)


def _bounds(bands: list) -> list[int]:
    return [high for _low, high in bands[:-1]]


def test_bands_divide_the_documents_and_move_on_when_documents_end(world):
    fill_documents(weeks=50, per_week=40)
    backend().optimize()
    first = usable_bands()
    assert len(first) == len(BOUND_SHARES) + 1
    # One after the other from no lower bound to none above: each document in exactly one band.
    assert first[0][0] is None and first[-1][1] is None
    assert all(before[1] == after[0] for before, after in itertools.pairwise(first))
    assert all(key % WEEK_MINUTES == 0 for key in _bounds(first))  # whole weeks, as stretches are
    total = SearchDocument.objects.count()
    shares = [SearchDocument.objects.filter(starts_key__lt=key).count() / total for key in _bounds(first)]
    assert shares == pytest.approx(BOUND_SHARES, abs=0.03)
    backend().optimize()
    assert usable_bands() == first
    # Most documents end and are pruned: no bound lies where its share of what is left would.
    SearchDocument.objects.filter(starts_key__lt=_bounds(first)[-1] + 5 * WEEK_MINUTES).delete()
    backend().optimize()
    moved = usable_bands()
    assert len(moved) == len(BOUND_SHARES) + 1
    assert min(_bounds(moved)) > max(_bounds(first))
