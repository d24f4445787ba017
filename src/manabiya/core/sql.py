"""Small pieces of hand-written SQL shared by apps, for the few hot paths where building a query
through the ORM costs more than running it."""

from django.db import connection


def one_of(column: str, values: list) -> tuple[str, list]:
    """`column` is one of `values`, as SQL and parameters: on PostgreSQL one array parameter
    (binding 600 separate ones took longer than the lookup), elsewhere a list of them."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
