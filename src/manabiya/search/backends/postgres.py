"""PostgreSQL: a tsvector column of pre-tokenised text with a GIN index.

The tsvector is written as a literal (`'書道':3A`), not through a text search parser, so the
tokens are exactly the pipeline's: no parser or dictionary re-splits Japanese. Weights mark the
columns (A title, B other spellings of the title, C body, D other spellings of the body), so
ranking's narrower questions are weight-restricted operands on the same index. Positions keep
phrases: a word is its bigrams at consecutive positions.
"""

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from ..models import SearchDocument
from ..query import Scope, Spelling
from .base import Backend, Match, Position

SCOPE_WEIGHTS = {Scope.ANYWHERE: "", Scope.TITLE: "AB", Scope.TITLE_LITERAL: "A"}
BATCH = 500


def _operand(token: str, weights: str, prefix: bool = False) -> str:
    suffix = ("*" if prefix else "") + weights
    return f"'{token}':{suffix}" if suffix else f"'{token}'"


def _spelling(spelling: Spelling, weights: str) -> str:
    if spelling.is_prefix:
        return _operand(spelling.tokens[0], weights, prefix=True)
    return "(" + " <-> ".join(_operand(token, weights) for token in spelling.tokens) + ")"


def tsquery_text(match: Match) -> str:
    weights = SCOPE_WEIGHTS[match.scope]
    # The kind is a column condition here: a tag every document of the kind has would only make
    # GIN intersect one more very long list.
    parts = ["(" + " | ".join(f"'{tag}'" for tag in group) + ")" for group in match.tags]
    for term in match.plan.terms:
        spellings = [s for s in term.spellings if s.literal or match.scope is not Scope.TITLE_LITERAL]
        parts.append("(" + " | ".join(_spelling(s, weights) for s in spellings) + ")")
    return " & ".join(parts)


def _tsv_matches(query: str) -> RawSQL:
    # The SQL is fixed; the query text travels as a parameter.
    return RawSQL('"search_document"."tsv" @@ %s::tsquery', [query], output_field=BooleanField())


def _matching(match: Match) -> QuerySet[SearchDocument]:
    qs = match.documents()
    query = tsquery_text(match)
    return qs.filter(_tsv_matches(query)) if query else qs


def _walk_in_order(match: Match, qs: QuerySet[SearchDocument], limit: int) -> bool:
    """Whether to walk the (kind, starts_key) index checking each row, rather than collect every
    match from the GIN index and sort them.

    Walking in order reads about limit × rows / matches rows, each with its tsvector (often
    TOASTed); collecting reads every match once. The planner's own estimates for both are poor
    here (it takes the tsvector check for cheap), so the choice is made on its row counts: walk
    when matches² > limit × rows. For a million documents and a page of 20, a word found in more
    than about 4,500 of them is walked in order, a rarer one collected.
    """
    if "rows" not in match.shared:
        with connection.cursor() as cursor:
            cursor.execute("SELECT GREATEST(reltuples, 1) FROM pg_class WHERE relname = 'search_document'")
            match.shared["rows"] = float(cursor.fetchone()[0])
    plan = json.loads(qs.explain(format="json"))
    matches = float(plan[0]["Plan"]["Plan Rows"])
    return matches * matches > limit * match.shared["rows"]


class PostgresBackend(Backend):
    vendor = "postgresql"

    def create_sql(self) -> list[str]:
        return [
            "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS tsv tsvector",
            "CREATE INDEX IF NOT EXISTS search_document_tsv ON search_document USING gin (tsv)",
        ]

    def drop_sql(self) -> list[str]:
        return ["DROP INDEX IF EXISTS search_document_tsv", "ALTER TABLE search_document DROP COLUMN IF EXISTS tsv"]

    def write(self, rows: Iterable[tuple[SearchDocument, str]]) -> None:
        """`rows`: documents with their `encode.tsvector_literal`."""
        rows = [(document.pk, literal) for document, literal in rows]
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                values = ", ".join(["(%s::bigint, %s)"] * len(batch))
                cursor.execute(
                    f"UPDATE search_document SET tsv = v.tsv::tsvector FROM (VALUES {values}) AS v(id, tsv) "  # noqa: S608 (placeholders only)
                    "WHERE search_document.id = v.id",
                    [value for row in batch for value in row],
                )

    def begin_bulk(self) -> None:
        # Building a GIN index once is several times faster than growing it row by row.
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_document_tsv")

    def end_bulk(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            cursor.execute(self.create_sql()[1])
            cursor.execute("RESET maintenance_work_mem")

    def remove(self, documents: list[SearchDocument]) -> None:
        """Nothing to do: the tsvector goes with its search_document row."""

    def clear(self) -> None:
        """Nothing to do: the tsvectors go with their search_document rows."""

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")

    def walk(self, match: Match, *, after: Position | None, limit: int) -> list[Position]:
        qs = _matching(match)
        if after is not None:
            qs = qs.filter(Q(starts_key__gt=after[0]) | Q(starts_key=after[0], pk__gt=after[1]))
        if _walk_in_order(match, qs, limit):
            qs = qs.order_by("starts_key", "pk")
        else:
            # Sorting by an expression keeps the planner off the ordered index: it collects the
            # matches from the GIN index and sorts those.
            qs = qs.alias(sort_key=F("starts_key") + Value(0)).order_by("sort_key", "pk")
        rows = list(qs.values_list("starts_key", "pk", "object_id")[:limit])
        match.objects.update((pk, object_id) for _key, pk, object_id in rows)
        return [(key, pk) for key, pk, _object_id in rows]

    def rank(self, tiers: list[Match], *, need: int) -> list[tuple[int, int, int]] | None:
        """For a rarer query, one pass: the GIN index collects the matches, and their tsvectors,
        read anyway to check phrases, answer each tier's question too. A common one is walked
        tier by tier in date order, which stops early."""
        match = tiers[-1]
        qs = _matching(match)
        if _walk_in_order(match, qs, need):
            return None
        tier = Case(
            *[When(_tsv_matches(tsquery_text(t)), then=Value(n)) for n, t in enumerate(tiers[:-1])],
            default=Value(len(tiers) - 1),
            output_field=IntegerField(),
        )
        rows = list(
            qs.annotate(tier=tier, sort_key=F("starts_key") + Value(0))
            .order_by("tier", "sort_key", "pk")
            .values_list("pk", "tier", "starts_key", "object_id")[:need]
        )
        match.objects.update((pk, object_id) for pk, _tier, _key, object_id in rows)
        return [(pk, tier_number, key) for pk, tier_number, key, _object_id in rows]

    def count(self, match: Match, *, cap: int) -> int:
        unconditioned = Match(kind=match.kind, plan=match.plan, tags=match.tags, scope=match.scope)
        return _matching(unconditioned).values("pk")[:cap].count()

    def members_of_walk(self, match: Match, positions: list[Position]) -> set[int]:
        if not positions:
            return set()
        return set(_matching(match).filter(pk__in=[pk for _key, pk in positions]).values_list("pk", flat=True))

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_relation_size('search_document_tsv') + COALESCE(SUM(pg_column_size(tsv)), 0) "
                "FROM search_document"
            )
            return int(cursor.fetchone()[0])
