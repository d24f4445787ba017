"""The text index behind one interface, in the form each database does best.

`write` stores documents' columns, `forget` drops documents, `clear` empties the index, and
`condition` turns a plan into a WHERE condition on `search_document` rows, so filters, facets and
orders stay ordinary Django queries whichever database runs them.
"""

from django.db import connection

from .base import Backend


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()
