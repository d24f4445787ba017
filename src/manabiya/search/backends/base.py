from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from ..models import SearchDocument
from ..query import Plan, Scope

Position = tuple[int, int]  # (starts_key, document id): the index order


@dataclass
class Match:
    """What the index is asked: text (`plan`, looked for in `scope`), tags that must all be there
    (each inner list: any one of its tags), and conditions on `search_document` columns that tags
    cannot express (time windows)."""

    kind: str
    plan: Plan
    tags: list[list[str]] = field(default_factory=list)
    exact: Q = field(default_factory=Q)
    scope: Scope = Scope.ANYWHERE
    # What walks learned on the way, shared with narrowed matches: document id → object id.
    objects: dict[int, int] = field(default_factory=dict, compare=False, repr=False)
    # What a backend prepared for this search's exact conditions, shared with narrowed matches.
    shared: dict = field(default_factory=dict, compare=False, repr=False)
    # Results of reads asked more than once per request (the sample: by the count and the facets).
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    _documents: QuerySet | None = field(default=None, compare=False, repr=False)

    def documents(self) -> QuerySet[SearchDocument]:
        """The documents of the kind that pass the exact conditions (built once, then reused)."""
        if self._documents is None:
            self._documents = SearchDocument.objects.filter(kind=self.kind).filter(self.exact)
        return self._documents

    def narrowed(self, *, plan: Plan | None = None, scope: Scope | None = None, tags=None) -> "Match":
        return Match(
            kind=self.kind,
            plan=plan if plan is not None else self.plan,
            tags=self.tags + (tags or []),
            exact=self.exact,
            scope=scope or self.scope,
            objects=self.objects,
            shared=self.shared,
            _documents=self._documents,
        )


class Backend:
    vendor = ""

    def create_sql(self) -> list[str]:
        """Statements that create the index beside the `search_document` table."""
        raise NotImplementedError

    def drop_sql(self) -> list[str]:
        raise NotImplementedError

    def write(self, rows: Iterable[tuple[SearchDocument, object]]) -> None:
        """Store documents with what `encode.encode` made of their text for this database."""
        raise NotImplementedError

    def remove(self, documents: list[SearchDocument]) -> None:
        """Take these documents out of the text index; their rows are deleted by the caller."""
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def begin_bulk(self) -> None:
        """About to write very many documents: pause what is cheaper to redo once afterwards."""

    def end_bulk(self) -> None:
        pass

    def optimize(self) -> None:
        pass

    def walk(self, match: Match, *, after: Position | None, limit: int) -> list[Position]:
        """Up to `limit` matching documents after `after`, in index order (sooner first); notes
        their object ids in `match.objects`."""
        raise NotImplementedError

    def rank(self, tiers: list[Match], *, need: int) -> list[tuple[int, int, int]] | None:
        """The first `need` matches of the last tier as (id, tier, starts_key), best tier first,
        when this backend has a cheaper way than walking each tier; None to walk them."""
        return None

    def count(self, match: Match, *, cap: int) -> int:
        """How many documents the index matches, up to `cap`, before the exact conditions."""
        raise NotImplementedError

    def members_of_walk(self, match: Match, positions: list[Position]) -> set[int]:
        """The ids among `positions` that `match` holds. The positions are what one walk of a
        wider question returned (every match of it from the first to the last), so a backend may
        answer by scanning that stretch of its index."""
        raise NotImplementedError

    def size_bytes(self) -> int:
        """Disk space the text index takes, for the benchmark."""
        raise NotImplementedError
