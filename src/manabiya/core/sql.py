"""Small pieces of hand-written SQL shared by apps, for the few hot paths where building a query
through the ORM costs more than running it."""

from django.db import connection


def one_of(column: str, values: list) -> tuple[str, list]:
    """`column` is one of `values`, as SQL and parameters: on PostgreSQL one array parameter
    (binding 600 separate ones took longer than the lookup), and integers as an array literal
    (psycopg dumps a list element by element: 1.1 ms for 1,000 ids, against 0.7 ms as text);
    elsewhere a list of them."""
    values = list(values)
    if connection.vendor == "postgresql":
        if all(isinstance(value, int) for value in values):
            return f"{column} = ANY(%s::bigint[])", ["{" + ",".join(str(value) for value in values) + "}"]
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
