"""Sample levels said two ways, as index tags and as an SQL condition on the object id (which
lets PostgreSQL read a level's own index), and documents laid out in index order by a rebuild."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manabiya.catalog.search_documents import KIND
from manabiya.catalog.selectors import CatalogQuery
from manabiya.catalog.selectors_search import run_search
from manabiya.search.backends import backend
from manabiya.search.documents import SAMPLE_LEVELS, in_sample_sql, sample_tags, tag
from manabiya.search.models import SearchDocument
from manabiya.search.services import rebuild

from .conftest import Spec, fill_documents, publish

IDS = [*range(1, 1500), 2**31 - 1, 2**31, 3_000_000_019, 3_474_000_000]  # see in_sample_sql


@pytest.mark.django_db
@pytest.mark.parametrize("level", [1, 4, 8, SAMPLE_LEVELS])
def test_the_sql_condition_holds_the_objects_the_tags_put_in_a_level(level):
    values = ", ".join(f"({object_id})" for object_id in IDS)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH ids(v) AS (VALUES {values}) SELECT v FROM ids WHERE {in_sample_sql(level, 'v')}")  # noqa: S608
        in_sql = {row[0] for row in cursor.fetchall()}
    in_tags = {object_id for object_id in IDS if tag("r", level) in sample_tags(object_id)}
    assert in_sql == in_tags
    assert in_tags  # every level asked holds some of these ids


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL has indexes of sample levels")
@pytest.mark.parametrize(
    ("level", "index"), [(3, "search_document_tsv_r2"), (5, "search_document_tsv_r5"), (9, "search_document_tsv_r8")]
)
def test_a_sample_walk_reads_its_level_s_own_index(db, level, index):
    fill_documents(weeks=20, per_week=1000, word="料理")
    match = run_search(query=CatalogQuery(q="料理"), fetch=lambda qs: qs).results.match
    with CaptureQueriesContext(connection) as captured:
        backend().walk(match.narrowed(sample_level=level), limit=None)
    (walk_sql,) = [query["sql"] for query in captured.captured_queries if "@@" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {walk_sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"on {index}" in plan, plan


def test_a_full_rebuild_writes_the_documents_sooner_first(world):
    for n in range(12):
        publish(world, Spec(title=f"書道教室 {n}", week=1 + (n * 5) % 12))
    rebuild(kind=KIND)
    keys = list(SearchDocument.objects.filter(kind=KIND).order_by("id").values_list("starts_key", flat=True))
    assert len(keys) == 12
    assert keys == sorted(keys)
