"""PostgreSQL: a tsvector column of pre-tokenised text with a GIN index.

The tsvector is written as a literal (`'書道':3A`), not through a text search parser, so the
tokens are exactly the pipeline's: no parser or dictionary re-splits Japanese. Weights mark the
columns (A title, B other spellings of the title, C body, D other spellings of the body), so
ranking's narrower questions are weight-restricted operands on the same index. Positions keep
phrases: a word is its bigrams at consecutive positions. GIN keeps no order, so documents also
carry date tags, and a walk asks for the soonest matches one stretch of weeks at a time (`walk`).
"""

from django.db import connection

from manabiya.core.recent import forget, recently_read
from manabiya.core.sql import one_of

from ..documents import WEEK_MINUTES, in_sample_sql, week_of, weeks_tags
from ..models import SearchDocument
from ..query import Scope, Spelling
from . import pg_dates
from .base import Backend, Match, Position, write_rows

SCOPE_WEIGHTS = {Scope.ANYWHERE: "", Scope.TITLE: "AB", Scope.TITLE_LITERAL: "A"}
TSV_COLUMN = ("tsv", "%s::tsvector")
FIRST_SHARE = 0.01  # of all documents, for a walk's first stretch of weeks
# Sample levels with an index of their own (1/4, 1/32 and 1/256 of the documents), see `_collect`.
SAMPLE_INDEX_LEVELS = (2, 5, 8)
INDEX_SQL = [
    "CREATE INDEX IF NOT EXISTS search_document_tsv ON search_document USING gin (tsv)",
    *(
        f"CREATE INDEX IF NOT EXISTS search_document_tsv_r{level} ON search_document USING gin (tsv) "
        f"WHERE {in_sample_sql(level, 'object_id')}"
        for level in SAMPLE_INDEX_LEVELS
    ),
]
DROP_INDEX_SQL = [
    f"DROP INDEX IF EXISTS {name}"
    for name in ["search_document_tsv", *(f"search_document_tsv_r{level}" for level in SAMPLE_INDEX_LEVELS)]
]


def _operand(token: str, weights: str, prefix: bool = False) -> str:
    suffix = ("*" if prefix else "") + weights
    return f"'{token}':{suffix}" if suffix else f"'{token}'"


def _spelling(spelling: Spelling, weights: str) -> str:
    if spelling.is_prefix:
        return _operand(spelling.tokens[0], weights, prefix=True)
    return "(" + " <-> ".join(_operand(token, weights) for token in spelling.tokens) + ")"


def tsquery_text(match: Match, *, with_tags: bool = True) -> str:
    weights = SCOPE_WEIGHTS[match.scope]
    # The kind is a column condition here: a tag every document of the kind has would only make
    # GIN intersect one more very long list.
    parts = ["(" + " | ".join(f"'{tag}'" for tag in group) + ")" for group in match.all_tags()] if with_tags else []
    for term in match.plan.terms:
        spellings = [s for s in term.spellings if s.literal or match.scope is not Scope.TITLE_LITERAL]
        parts.append("(" + " | ".join(_spelling(s, weights) for s in spellings) + ")")
    return " & ".join(parts)


# Read by every search, changed only by ANALYZE and `optimize`: a process keeps them a minute. A
# walk's results do not depend on them, only how it divides its stretches.
LAYOUT_SECONDS = 60
HISTOGRAM = "search.pg.histogram"
BANDS = "search.pg.bands"


def _statistics_weeks(match: Match) -> list[int]:
    """`pg_dates.histogram_weeks`."""
    if "weeks" not in match.shared:
        match.shared["weeks"] = recently_read(HISTOGRAM, LAYOUT_SECONDS, pg_dates.histogram_weeks)
    return match.shared["weeks"]


def _bands(match: Match) -> list[pg_dates.Band]:
    if "bands" not in match.shared:
        match.shared["bands"] = recently_read(BANDS, LAYOUT_SECONDS, pg_dates.usable_bands)
    return match.shared["bands"]


def _band_holding(match: Match, start: int, stop: int) -> pg_dates.Band | None:
    """A band holding every document of the weeks start…stop - 1, if any."""
    low, high = start * WEEK_MINUTES, stop * WEEK_MINUTES
    return next(
        (band for band in _bands(match) if (band[0] or 0) <= low and (band[1] is None or high <= band[1])), None
    )


def _next_bound_week(match: Match, start: int, end: int) -> int:
    """The first week after `start` where a band begins or ends (`end` if none)."""
    weeks = sorted({key // WEEK_MINUTES for band in _bands(match) for key in band if key is not None})
    return next((week for week in weeks if week > start), end)


def _last_week(match: Match) -> int:
    if "last_week" not in match.shared:
        last = SearchDocument.objects.filter(kind=match.kind).order_by("-starts_key").values_list("starts_key").first()
        match.shared["last_week"] = week_of(last[0] if last else 0)
    return match.shared["last_week"]


class PostgresBackend(Backend):
    vendor = "postgresql"
    date_blocks = True

    def create_sql(self) -> list[str]:
        return [
            "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS tsv tsvector",
            *INDEX_SQL,
            # Phrases and weights are checked on the row: keep its tsvector in the row, compressed
            # (MAIN), not in the TOAST table, where each check cost two more index lookups (twice
            # as slow for a five-bigram phrase over 2,900 rows).
            "ALTER TABLE search_document ALTER COLUMN tsv SET STORAGE MAIN",
            # lz4 (PostgreSQL 14 and later, when built with it) unpacks several times faster than pglz.
            "DO $$ BEGIN "
            "IF EXISTS (SELECT FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) "
            "THEN ALTER TABLE search_document ALTER COLUMN tsv SET COMPRESSION lz4; END IF; END $$",
        ]

    def drop_sql(self) -> list[str]:
        return [*DROP_INDEX_SQL, "ALTER TABLE search_document DROP COLUMN IF EXISTS tsv"]

    def insert(self, documents: list[SearchDocument], payloads: list[str]) -> list[SearchDocument]:
        """`payloads`: the documents' `encode.tsvector_literal`, written with the row itself
        (an insert, then an update of every row, took a third longer to rebuild)."""
        return write_rows(documents, TSV_COLUMN, payloads, replace=False)

    def replace(self, kind: str, object_ids: list[int], documents: list[SearchDocument], payloads: list) -> None:
        """Objects without a document lose theirs; the others' rows are written over in place
        (see `write_rows`), tsvector and all."""
        gone = sorted(set(object_ids) - {document.object_id for document in documents})
        if gone:
            SearchDocument.objects.filter(kind=kind, object_id__in=gone).delete()
        write_rows(documents, TSV_COLUMN, payloads, replace=True)

    def begin_bulk(self) -> None:
        # Building a GIN index once is several times faster than growing it row by row.
        with connection.cursor() as cursor:
            for statement in DROP_INDEX_SQL:
                cursor.execute(statement)
        pg_dates.drop_bands()

    def end_bulk(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for statement in INDEX_SQL:
                cursor.execute(statement)
            cursor.execute("RESET maintenance_work_mem")

    def optimize(self) -> None:
        super().optimize()
        pg_dates.refresh_bands()
        forget(BANDS)

    def refresh_statistics(self) -> None:
        super().refresh_statistics()
        forget(HISTOGRAM)

    def settle(self) -> None:
        """Move the edits waiting in the text indexes' pending lists into the indexes. GIN takes
        inserts into a pending list (a reindex took p95 11.5 ms without it), which every search
        reads through: 600 edits' worth made multi-word pages 7 ms slower at p50."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT gin_clean_pending_list(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = 'search_document'::regclass AND a.amname = 'gin'"
            )

    def remove(self, documents: list[SearchDocument]) -> None:
        """Nothing to do: the tsvector goes with its search_document row."""

    def clear(self) -> None:
        """Start the table afresh rather than leave every row dead: a rebuild then writes its
        documents into an empty table in its order (sooner first), which is what lets a stretch
        of dates lie in a few runs of pages."""
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_document")

    def walk(self, match: Match, *, limit: int | None) -> list[Position]:
        """GIN finds matches in no useful order, and sorting all of a common word's matches (or
        checking each row's tsvector while walking the dates' B-tree) reads thousands of rows for
        a page. So the dates are asked for stretch by stretch, each stretch of weeks a few
        `date_tags` the GIN index intersects with the text: the first stretch holds about 1/100
        of the documents, the next ones as many as the matches seen so far say are needed (the
        shares read from the planner's histogram of starts_key). A walk reads about as many rows
        as it returns, and a stretch within a band reads the band's smaller index (`pg_dates`)."""
        bounds = _statistics_weeks(match)
        if limit is None or len(set(bounds)) < 2:
            return self._collect(match, None, limit)
        end = _last_week(match) + 1
        found: list[Position] = []
        start, share = 0, FIRST_SHARE
        while start < end and len(found) < limit:
            # A stretch ends at the next band's bound at the latest: what a band holds costs a
            # fraction of the full index, and its matches tell the rest's size better.
            stop = min(
                max(pg_dates.week_after_share(bounds, share, end), start + 1), _next_bound_week(match, start, end)
            )
            band = _band_holding(match, start, stop)
            found += self._collect(match, weeks_tags(start, stop - 1), limit - len(found), band)
            # Matches per share of documents so far tell how large a share the rest needs (a
            # quarter more, to end in one go); none yet: a rare word, four times as large.
            covered = pg_dates.share_before(bounds, stop)
            rate = len(found) / covered if covered else 0  # none: statistics older than the documents
            share = covered + (limit - len(found)) / rate * 1.25 if rate else covered * 4
            start = stop
        return found

    def _collect(
        self, match: Match, weeks: list[str] | None, limit: int | None, band: pg_dates.Band | None = None
    ) -> list[Position]:
        """Every match (in `weeks` only, when given), or the first `limit`, sooner first. `band`:
        one holding every document of `weeks`, whose index is read instead of the full one."""
        query = tsquery_text(match)
        if weeks:
            within = "(" + " | ".join(f"'{week}'" for week in weeks) + ")"
            query = f"{query} & {within}" if query else within
        sql, params = match.documents_sql("starts_key", "pk", "object_id")
        conditions, arguments = [], []
        if query:
            conditions.append('"search_document"."tsv" @@ %s::tsquery')
            arguments.append(query)
        if band is not None:
            conditions.append(pg_dates.band_condition(band, '"search_document"."starts_key"'))
        if match.sample_level:
            # Said as a condition on the row too, so the planner may use a sample level's own
            # index: GIN iterates over a word's matches in the whole index, however few a sample
            # keeps, and a level's index holds a quarter of them or fewer.
            conditions.append(in_sample_sql(match.sample_level, '"search_document"."object_id"'))
        # Sorting by an expression keeps the planner off the dates' B-tree (walking it would
        # check the tsvector of every row on the way): it collects the GIN matches and sorts them.
        sql += "".join(f" AND {condition}" for condition in conditions)
        sql += ' ORDER BY ("search_document"."starts_key" + 0), "search_document"."id"'
        if limit is not None:
            sql += " LIMIT %s"
            arguments.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *arguments])
            rows = cursor.fetchall()
        match.objects.update((pk, object_id) for _key, pk, object_id in rows)
        return [(key, pk) for key, pk, _object_id in rows]

    def best_tiers(self, tiers: list[Match], window: list[Position]) -> dict[int, int]:
        """One pass over the window's rows: each tier is a condition on the tsvector read anyway
        (in the select list, where no index is used)."""
        if not window or not tiers:
            return {}
        cases = " ".join(f"WHEN tsv @@ %s::tsquery THEN {number}" for number in range(len(tiers)))
        of_window, ids = one_of("id", [pk for _key, pk in window])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, CASE {cases} END FROM search_document WHERE {of_window}",  # noqa: S608 (numbers only)
                [*(tsquery_text(tier, with_tags=False) for tier in tiers), *ids],
            )
            return {pk: number for pk, number in cursor.fetchall() if number is not None}

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_relation_size('search_document_tsv') + COALESCE(SUM(pg_column_size(tsv)), 0) "
                "FROM search_document"
            )
            return int(cursor.fetchone()[0])
