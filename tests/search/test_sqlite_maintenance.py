"""SQLite's text index stays cheap to maintain whatever statistics an ANALYZE left behind."""

import pytest
from django.db import connection

from manabiya.search.backends import backend

from .conftest import Spec, publish

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's index")


def _range_delete_plan() -> str:
    with connection.cursor() as cursor:
        # As FTS5 asks it: with parameters.
        cursor.execute("EXPLAIN QUERY PLAN DELETE FROM search_fts_data WHERE id >= %s AND id <= %s", [1, 2])
        return " ".join(row[-1] for row in cursor.fetchall())


def test_merges_read_only_the_segments_they_remove_after_an_analyze_of_an_empty_index(world):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as a cron job might, before the catalogue is indexed
    publish(world, Spec(title="書道教室"))
    assert "SCAN" in _range_delete_plan()  # what made every merge read the whole index
    backend().optimize()
    assert "USING INTEGER PRIMARY KEY" in _range_delete_plan()
