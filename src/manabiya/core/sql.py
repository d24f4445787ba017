"""Small pieces of hand-written SQL shared by apps, for the few hot paths where building a query
through the ORM costs more than running it."""

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone


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


# Parameters a statement of `update_from_pairs` or `insert_rows` binds on SQLite: under its 32,766
# (Django's own bulk writes assume the old limit of 999 there, hence hundreds of statements).
PARAMS_A_STATEMENT = 20_000


def _rows_from(db, fields: list, columns: list[list]) -> tuple[str, list]:
    """A row source of the column lists (one list of prepared values a field), as SQL and
    parameters, its columns named column1, column2, …: on PostgreSQL one typed array a column
    through unnest (a VALUES list of thousands of rows takes the server longer to parse than to
    run: 13,500 bookings, 1.7 s against 0.25 s), elsewhere a VALUES list."""
    names = ", ".join(f"column{n}" for n in range(1, len(fields) + 1))
    if db.vendor == "postgresql":
        arrays = ", ".join(f"%s::{f.db_type(db)}[]" for f in fields)
        return f"unnest({arrays}) AS source({names})", [list(column) for column in columns]
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = [value for row in zip(*columns, strict=True) for value in row]
    return f"(VALUES {', '.join([one_row] * len(columns[0]))}) AS source", params


def _chunks(db, rows: list, params_a_row: int):
    """Rows a statement: all at once on PostgreSQL (arrays bind as one parameter each)."""
    size = len(rows) if db.vendor == "postgresql" else max(PARAMS_A_STATEMENT // params_a_row, 1)
    for start in range(0, len(rows), max(size, 1)):
        yield rows[start : start + size]


def update_from_pairs(model, *, column: str, pairs: list[tuple[int, object]], also: dict | None = None) -> None:
    """Set `column` of each row (by primary key) to its own value, and the columns of `also` to
    theirs for all of them, in one UPDATE … FROM a statement.

    For writes of thousands of rows at once: bulk_update builds a CASE over every row (about
    1.5 ms of Python a row, and on PostgreSQL one statement that can run for minutes), and one
    UPDATE per row costs a round trip each. Values go through the field's own conversion to
    the database.
    """
    meta = model._meta
    db = connections[DEFAULT_DB_ALIAS]  # the proxy `connection` costs a lookup per value
    quote = db.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    field = meta.get_field(column)
    assignments = [f"{quote(field.column)} = source.column2"]
    fixed = []
    for name, value in (also or {}).items():
        other = meta.get_field(name)
        assignments.append(f"{quote(other.column)} = %s")
        fixed.append(other.get_db_prep_value(value, db))
    with db.cursor() as cursor:
        for chunk in _chunks(db, pairs, 2):
            keys = [pk for pk, _value in chunk]
            values = [field.get_db_prep_value(value, db) for _pk, value in chunk]
            source, params = _rows_from(db, [meta.pk, field], [keys, values])
            cursor.execute(
                f"UPDATE {table} SET {', '.join(assignments)} "  # noqa: S608 - names from the model, values bound
                f"FROM {source} WHERE {table}.{key} = source.column1",
                [*fixed, *params],
            )


def insert_rows(model, *, fields: list[str], rows: list[tuple], same: dict | None = None) -> list[int]:
    """Insert `rows` (values in the order of `fields`) with one multi-row INSERT … RETURNING a
    statement, and give the new primary keys in the rows' order. `same` gives fields one value
    for every row; the fields named in neither take their default, worked out once (auto_now
    and auto_now_add fields: now).

    For tens of thousands of rows at once, where bulk_create spends seconds building model
    instances and compiling each value. No signals are sent and save() is not called."""
    same = same or {}
    if not rows:
        return []
    meta = model._meta
    db = connections[DEFAULT_DB_ALIAS]
    named = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if f.name not in fields and not f.primary_key]
    now = timezone.now()

    def default(f):
        if f.name in same:
            return same[f.name]
        return now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()

    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [*named, *rest])
    fixed = [f.get_db_prep_save(default(f), db) for f in rest]
    keys: list[int] = []
    with db.cursor() as cursor:
        for chunk in _chunks(db, rows, len(named) + len(rest)):
            prepared = [
                [field.get_db_prep_save(value, db) for value in column]
                for field, column in zip(named, zip(*chunk, strict=True), strict=True)
            ]
            if db.vendor == "postgresql":
                source, params = _rows_from(db, named, prepared)
                picked = ", ".join(f"source.column{n}" for n in range(1, len(named) + 1))
                casts = "".join(f", %s::{f.db_type(db)}" for f in rest)  # the cast types a NULL too
                rows_sql = f"SELECT {picked}{casts} FROM {source}"  # noqa: S608 - names and types from the model
                params = [*fixed, *params]
            else:
                one_row = "(" + ", ".join(["%s"] * (len(named) + len(rest))) + ")"
                rows_sql = f"VALUES {', '.join([one_row] * len(chunk))}"
                params = [value for row in zip(*prepared, strict=True) for value in (*row, *fixed)]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) {rows_sql} RETURNING {quote(meta.pk.column)}",
                params,
            )
            keys += [key for (key,) in cursor.fetchall()]
    return keys
