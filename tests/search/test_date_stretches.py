"""Asking an index without an order of its own for the soonest matches, stretch of weeks by
stretch: the weeks' tags cover exactly the weeks asked for, and a walk by stretches returns what
one collection of every match, sorted, would."""

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from manabiya.catalog.selectors import CatalogQuery
from manabiya.catalog.selectors_search import run_search
from manabiya.search.backends import backend
from manabiya.search.documents import WEEK_MINUTES, date_tags, weeks_tags

from .conftest import Spec, publish


@given(first=st.integers(0, 6000), length=st.integers(0, 600))
def test_the_tags_of_a_stretch_hold_exactly_its_weeks(first, length):
    last = first + length
    asked = set(weeks_tags(first, last))
    held = {week for week in range(max(first - 300, 0), last + 300) if asked & set(date_tags(week * WEEK_MINUTES))}
    assert held == set(range(first, last + 1))
    assert len(asked) <= 2 * 13


def test_an_empty_stretch_has_no_tags():
    assert weeks_tags(5, 4) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL walks by stretches of weeks")
def test_a_walk_by_stretches_returns_the_soonest_matches_in_order(world):
    for n in range(40):
        publish(world, Spec(title=f"手話講座 {n}" if n % 3 else f"料理教室 {n}", week=1 + (n * 7) % 23, hour=9 + n % 8))
    index = backend()
    index.refresh_statistics()  # the histogram the stretches are cut by
    for text in ["手話", "料理", "講座", ""]:
        match = run_search(query=CatalogQuery(q=text), fetch=lambda qs: qs).results.match
        every = index._collect(match, None, None)
        assert every, text
        for limit in [1, 2, 5, 13, len(every), len(every) + 5]:
            assert index.walk(match, limit=limit) == every[:limit], (text, limit)
        assert len(match.shared["weeks"]) > 3  # the walk went by stretches
