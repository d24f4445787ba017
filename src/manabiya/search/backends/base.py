from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet

from ..documents import tag
from ..models import SearchDocument
from ..query import Plan, Scope

Position = tuple[int, int]  # (starts_key, document id): the index order


@dataclass
class Match:
    """What the index is asked: text (`plan`, looked for in `scope`), tags that must all be there
    (each inner list: any one of its tags), conditions on `search_document` columns that tags
    cannot express (time windows), and optionally only the documents of one sample level
    (`documents.sample_tags`)."""

    kind: str
    plan: Plan
    tags: list[list[str]] = field(default_factory=list)
    exact: Q = field(default_factory=Q)
    scope: Scope = Scope.ANYWHERE
    sample_level: int = 0  # 0: every document
    # What walks learned on the way, shared with narrowed matches: document id → object id.
    objects: dict[int, int] = field(default_factory=dict, compare=False, repr=False)
    # What a backend prepared for this search's exact conditions, shared with narrowed matches.
    shared: dict = field(default_factory=dict, compare=False, repr=False)
    # Results of reads asked more than once per request (the sample: by the count and the facets).
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    _documents: QuerySet | None = field(default=None, compare=False, repr=False)

    def all_tags(self) -> list[list[str]]:
        """The tags, with the sample level's own when the match is limited to one."""
        return self.tags + ([[tag("r", self.sample_level)]] if self.sample_level else [])

    def documents(self) -> QuerySet[SearchDocument]:
        """The documents of the kind that pass the exact conditions (built once, then reused)."""
        if self._documents is None:
            self._documents = SearchDocument.objects.filter(kind=self.kind).filter(self.exact)
        return self._documents

    def documents_sql(self, *fields: str) -> tuple[str, list]:
        """The SQL of `documents()` selecting `fields`, compiled once per search. Walks add their
        own conditions to it: building a query through the ORM for each chunk or stretch of a
        walk cost more than running it."""
        key = ("documents_sql", fields)
        if key not in self.shared:
            sql, params = self.documents().values_list(*fields).query.sql_with_params()
            if " WHERE " not in sql or " ORDER BY " in sql:
                raise ValueError(f"Unexpected document query: {sql}")
            self.shared[key] = (sql, list(params))
        return self.shared[key]

    def narrowed(
        self, *, plan: Plan | None = None, scope: Scope | None = None, tags=None, sample_level: int | None = None
    ) -> "Match":
        return Match(
            kind=self.kind,
            plan=plan if plan is not None else self.plan,
            tags=self.tags + (tags or []),
            exact=self.exact,
            scope=scope or self.scope,
            sample_level=self.sample_level if sample_level is None else sample_level,
            objects=self.objects,
            shared=self.shared,
            _documents=self._documents,
        )


ROWS_BATCH = 500


def write_rows(
    documents: list[SearchDocument], extra: tuple[str, str] | None, extra_values: list, *, replace: bool
) -> list[SearchDocument]:
    """Insert the documents' rows, all of one kind (with one more column of the backend's own,
    `extra`: its name and placeholder); with `replace`, a row already there for the same object
    is written over in place and keeps its id. Sets the documents' ids. One statement per 500
    documents: for a single object's edit this replaced a lookup, a delete and an insert."""
    fields = [field for field in SearchDocument._meta.concrete_fields if not field.primary_key]
    columns = [connection.ops.quote_name(field.column) for field in fields]
    placeholders = ["%s"] * len(fields)
    if extra:
        columns.append(extra[0])
        placeholders.append(extra[1])
    row = "(" + ", ".join(placeholders) + ")"
    on_conflict = ""
    if replace:
        updates = ", ".join(f"{column} = excluded.{column}" for column in columns)
        on_conflict = f" ON CONFLICT (kind, object_id) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        for start in range(0, len(documents), ROWS_BATCH):
            batch = documents[start : start + ROWS_BATCH]
            values = []
            for number, document in enumerate(batch, start):
                values += [field.get_db_prep_save(field.pre_save(document, add=True), connection) for field in fields]
                if extra:
                    values.append(extra_values[number])
            cursor.execute(
                f"INSERT INTO search_document ({', '.join(columns)}) VALUES {', '.join([row] * len(batch))}"  # noqa: S608 (names from the model)
                f"{on_conflict} RETURNING object_id, id",
                values,
            )
            ids = dict(cursor.fetchall())  # SQLite does not promise RETURNING's order
            for document in batch:
                document.pk = ids[document.object_id]
                document._state.adding = False
    return documents


class Backend:
    vendor = ""
    # Whether documents carry `documents.date_tags`: for an index that cannot return its matches
    # in date order by itself.
    date_blocks = False

    def create_sql(self) -> list[str]:
        """Statements that create the index beside the `search_document` table."""
        raise NotImplementedError

    def drop_sql(self) -> list[str]:
        raise NotImplementedError

    def insert(self, documents: list[SearchDocument], payloads: list) -> list[SearchDocument]:
        """Create the documents' rows with what `encode.encode` made of their text for this
        database; returns them with their ids."""
        raise NotImplementedError

    def replace(self, kind: str, object_ids: list[int], documents: list[SearchDocument], payloads: list) -> None:
        """Make `documents` (with their `insert` payloads) the documents of `object_ids`; those
        of the objects not among them go."""
        raise NotImplementedError

    def remove(self, documents: list[SearchDocument]) -> None:
        """Take these documents out of the text index; their rows are deleted by the caller."""
        raise NotImplementedError

    def clear(self) -> None:
        """Take every document out of the text index (and, where the two are one, their rows)."""
        raise NotImplementedError

    def begin_bulk(self) -> None:
        """About to write very many documents: pause what is cheaper to redo once afterwards."""

    def end_bulk(self) -> None:
        pass

    def optimize(self) -> None:
        self.refresh_statistics()

    def settle(self) -> None:
        """Finish, in one go, what single edits left for later (cheap, run hourly)."""

    def refresh_statistics(self) -> None:
        """Let the planner see the documents as they are now (how many, how their dates spread)."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")

    def walk(self, match: Match, *, limit: int | None) -> list[Position]:
        """The first `limit` matching documents (all of them for None) in index order, sooner
        first; notes their object ids in `match.objects`."""
        raise NotImplementedError

    def best_tiers(self, tiers: list[Match], window: list[Position]) -> dict[int, int]:
        """For the ids in `window` (what one walk of a wider question returned, every match of it
        from the first to the last) that some tier holds: the number of the first such tier."""
        raise NotImplementedError

    def size_bytes(self) -> int:
        """Disk space the text index takes, for the benchmark."""
        raise NotImplementedError
