"""PostgreSQL's text indexes take edits into pending lists, which every search reads through;
the hourly pruning moves them into the indexes."""

import pytest
from django.db import connection

from manabiya.search.services import prune_ended

from .conftest import Spec, publish

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="pending lists are GIN's")


def _pending_pages_cleaned() -> int:
    """Clean every text index's pending list; how many pages they held."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(gin_clean_pending_list(c.oid)), 0) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid = 'search_document'::regclass AND a.amname = 'gin'"
        )
        return cursor.fetchone()[0]


def test_the_hourly_pruning_settles_the_edits_waiting_in_the_text_indexes(world):
    publish(world, Spec(title="手話講座"))
    assert _pending_pages_cleaned() > 0  # an edit waits in the pending lists
    publish(world, Spec(title="料理教室"))
    assert prune_ended() == 0
    assert _pending_pages_cleaned() == 0
