"""The bulk writers of core.sql, on whichever database the suite runs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manabiya.core.models import Municipality
from manabiya.core.sql import insert_rows, update_from_pairs

CODES = ["131016", "131024", "131032", "131041", "131059", "131067", "131075"]


@pytest.mark.django_db
@pytest.mark.parametrize("params_a_statement", [20_000, 9])  # 9: SQLite then writes a row a statement
def test_insert_rows_gives_the_keys_in_order_with_defaults_and_shared_values(monkeypatch, params_a_statement):
    monkeypatch.setattr("manabiya.core.sql.PARAMS_A_STATEMENT", params_a_statement)
    rows = [(code, f"区{n}") for n, code in enumerate(CODES)]
    keys = insert_rows(Municipality, fields=["code", "name"], rows=rows, same={"prefecture": "東京都"})
    assert len(keys) == len(rows) == len(set(keys))
    stored = {m.pk: m for m in Municipality.objects.filter(pk__in=keys)}
    assert [(stored[k].code, stored[k].name) for k in keys] == rows
    assert {(m.prefecture, m.name_kana) for m in stored.values()} == {("東京都", "")}
    assert all(m.created_at is not None and m.created_at == m.updated_at for m in stored.values())


@pytest.mark.django_db
def test_insert_rows_binds_one_array_a_column_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the unnest form is PostgreSQL's")
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Municipality, fields=["code", "name"], rows=[(c, c) for c in CODES], same={"prefecture": "東京都"})
    (insert,) = queries.captured_queries
    assert "unnest(" in insert["sql"]


@pytest.mark.django_db
@pytest.mark.parametrize("params_a_statement", [20_000, 4])
def test_update_from_pairs_sets_each_row_its_own_value(monkeypatch, params_a_statement):
    monkeypatch.setattr("manabiya.core.sql.PARAMS_A_STATEMENT", params_a_statement)
    keys = insert_rows(Municipality, fields=["code", "name"], rows=[(c, "?") for c in CODES], same={"prefecture": "-"})
    untouched = keys.pop()
    update_from_pairs(Municipality, column="name", pairs=[(k, f"市{k}") for k in keys], also={"prefecture": "東京都"})
    names = dict(Municipality.objects.filter(pk__in=[*keys, untouched]).values_list("pk", "name"))
    assert names == {**{k: f"市{k}" for k in keys}, untouched: "?"}
    assert Municipality.objects.get(pk=untouched).prefecture == "-"
    assert set(Municipality.objects.filter(pk__in=keys).values_list("prefecture", flat=True)) == {"東京都"}
