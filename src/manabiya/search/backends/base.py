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
        stale = list(SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).only("id", "starts_key"))
        if stale:
            self.remove(stale)
            SearchDocument.objects.filter(id__in=[document.pk for document in stale]).delete()
        self.insert(documents, payloads)

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
