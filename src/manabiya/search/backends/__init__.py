"""The text index behind one interface, in the form each database does best.

`insert` writes documents with their text, `remove` and `clear` take them out, `walk` returns
matches soonest first (counts and samples are walks too), `best_tiers` answers the ranking's question;
filters, facets and orders stay ordinary queries on `search_document` whichever database runs
them. See `base.Backend`.
"""

from django.db import connection

from .base import Backend


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()


def create_text_index(apps, schema_editor) -> None:
    """For migrations: the index's statements, all of them safe to repeat."""
    for statement in backend().create_sql():
        schema_editor.execute(statement)


def drop_text_index(apps, schema_editor) -> None:
    for statement in backend().drop_sql():
        schema_editor.execute(statement)
