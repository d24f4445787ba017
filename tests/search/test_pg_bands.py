"""PostgreSQL's bands: partial text indexes of the soonest documents, which a walk's first
stretches read instead of the full index, and which move along as documents end."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manabiya.catalog.selectors import CatalogQuery
from manabiya.catalog.selectors_search import run_search
from manabiya.search.backends import backend
from manabiya.search.backends.pg_dates import BAND_SHARES, band_keys
from manabiya.search.documents import WEEK_MINUTES
from manabiya.search.models import SearchDocument

from .conftest import Spec, fill_documents, publish

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="bands are PostgreSQL's")


def test_the_first_stretch_of_a_walk_reads_a_band(world):
    fill_documents(weeks=50, per_week=400, word="料理")
    backend().optimize()
    assert len(band_keys()) == len(BAND_SHARES)
    match = run_search(query=CatalogQuery(q="料理"), fetch=lambda qs: qs).results.match
    with CaptureQueriesContext(connection) as captured:
        found = backend().walk(match, limit=5)
    assert len(found) == 5
    first_stretch = next(query["sql"] for query in captured.captured_queries if "@@" in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {first_stretch}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "on search_document_tsv_before_" in plan, plan


def test_walks_through_bands_return_the_soonest_matches_in_order(world):
    for n in range(40):
        publish(world, Spec(title=f"手話講座 {n}" if n % 3 else f"料理教室 {n}", week=1 + (n * 7) % 23, hour=9 + n % 8))
    backend().optimize()
    assert band_keys()
    index = backend()
    for text in ["手話", "料理", "講座", ""]:
        match = run_search(query=CatalogQuery(q=text), fetch=lambda qs: qs).results.match
        every = index._collect(match, None, None)
        for limit in [1, 2, 5, 13, len(every), len(every) + 5]:
            assert index.walk(match, limit=limit) == every[:limit], (text, limit)


def test_bands_stay_while_they_fit_and_move_on_when_documents_end(world):
    fill_documents(weeks=50, per_week=40)
    backend().optimize()
    first = band_keys()
    assert len(first) == len(BAND_SHARES)
    assert all(key % WEEK_MINUTES == 0 for key in first)  # whole weeks, as stretches are
    backend().optimize()
    assert band_keys() == first
    # Most documents end and are pruned: no band holds any of what is left.
    SearchDocument.objects.filter(starts_key__lt=sorted(first)[-1] + 20 * WEEK_MINUTES).delete()
    backend().optimize()
    moved = band_keys()
    assert len(moved) == len(BAND_SHARES)
    assert min(moved) > max(first)
