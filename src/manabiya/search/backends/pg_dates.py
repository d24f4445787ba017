"""PostgreSQL: how the documents spread over the weeks, and text indexes of the soonest ones.

GIN keeps no order, and it pays for a word's matches in the whole table even when asked for one
stretch of weeks. So besides the full text index there are *bands*: partial text indexes of the
documents that start before some week, holding the soonest 4 %, 16 % and 40 % of them. A walk
goes band by band, and each stretch costs about what its band holds. Bands are named after their
bound (`search_document_tsv_before_<starts_key>`), so reading them needs no table of its own, and
`refresh_bands` moves them along as time passes and documents end.
"""

import bisect
import math

from django.db import connection

from ..documents import WEEK_MINUTES, week_of

BAND_SHARES = (0.04, 0.16, 0.4)
BAND_PREFIX = "search_document_tsv_before_"


def histogram_weeks() -> list[int]:
    """The weeks of the bounds of the planner's histogram of starts_key (kept by ANALYZE), in
    order and with repeats: between two neighbouring bounds lies the same share of documents.
    Empty before any ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT histogram_bounds::text::bigint[] FROM pg_stats "
            "WHERE tablename = 'search_document' AND attname = 'starts_key' AND schemaname = current_schema()"
        )
        row = cursor.fetchone()
    return sorted(week_of(key) for key in (row[0] if row and row[0] else []))


def share_before(bounds: list[int], week: int) -> float:
    """About what share of the documents starts before `week`."""
    return min(bisect.bisect_left(bounds, week) / (len(bounds) - 1), 1.0)


def week_after_share(bounds: list[int], share: float, end: int) -> int:
    """The first week after those holding about `share` of the documents (`end` at most)."""
    index = math.ceil(share * (len(bounds) - 1))
    return min(bounds[index] + 1, end) if index < len(bounds) else end


def _bands() -> dict[int, bool]:
    """The bands there are: bound → whether the index is valid (a failed concurrent build
    leaves an invalid one, which the planner ignores)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = 'search_document'::regclass"
        )
        return {
            int(name[len(BAND_PREFIX) :]): valid for name, valid in cursor.fetchall() if name.startswith(BAND_PREFIX)
        }


def band_keys() -> list[int]:
    """The bounds (starts_key) of the usable bands, lowest first."""
    return sorted(key for key, valid in _bands().items() if valid)


def drop_bands() -> None:
    with connection.cursor() as cursor:
        for key in _bands():
            cursor.execute(f"DROP INDEX IF EXISTS {BAND_PREFIX}{key}")


def refresh_bands() -> None:
    """Keep one band for each of BAND_SHARES: a band already there while it holds between half
    and twice its share, else a new one at the share; drop the others. Reads the statistics, so
    run it after ANALYZE."""
    bounds = histogram_weeks()
    existing = _bands()
    kept, wanted = set(), set()
    if len(set(bounds)) > 1:
        for share in BAND_SHARES:
            fitting = [
                key
                for key, valid in existing.items()
                if valid and key not in kept and share / 2 <= share_before(bounds, week_of(key)) <= share * 2
            ]
            if fitting:
                kept.add(fitting[0])
            else:
                week = week_after_share(bounds, share, bounds[-1] + 1)
                if share_before(bounds, week) <= 0.5:  # a band of most documents saves little
                    wanted.add(week * WEEK_MINUTES)
    # Outside a transaction the bands are built without blocking edits meanwhile.
    concurrently = "" if connection.in_atomic_block else "CONCURRENTLY "
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for key in sorted(wanted - kept):
            cursor.execute(f"DROP INDEX IF EXISTS {BAND_PREFIX}{key}")  # an invalid one, if any
            cursor.execute(
                f"CREATE INDEX {concurrently}{BAND_PREFIX}{key} ON search_document USING gin (tsv) "
                f"WHERE starts_key < {key}"
            )
        for key in set(existing) - kept - wanted:
            cursor.execute(f"DROP INDEX IF EXISTS {BAND_PREFIX}{key}")
        cursor.execute("RESET maintenance_work_mem")
