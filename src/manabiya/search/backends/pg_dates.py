"""PostgreSQL: how the documents spread over the weeks, and text indexes of stretches of them.

GIN keeps no order, and it pays for a word's matches in the whole table even when asked for one
stretch of weeks. So besides the full text index there are *bands*: partial text indexes that
divide the documents by their start, at the soonest 4 %, 16 %, 40 % and 70 % of them (five bands,
each document in one). A walk goes band by band, and each stretch costs about what its band holds.
Bands are named after their bounds (`search_document_tsv_band_<from>_<before>`, `x` for none), so
reading them needs no table of its own, and `refresh_bands` moves them along as time passes and
documents end.
"""

import bisect
import math

from django.db import connection

from ..documents import WEEK_MINUTES, week_of

# The shares of documents (soonest first) at which one band ends and the next begins.
BOUND_SHARES = (0.04, 0.16, 0.4, 0.7)
BAND_PREFIX = "search_document_tsv_band_"


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


Band = tuple[int | None, int | None]  # starts_key from, before (None: unbounded)


def band_condition(band: Band, column: str = "starts_key") -> str:
    """The band as an SQL condition on `column`: its index's predicate, and what a query says so
    that the planner can prove the index applies."""
    low, high = band
    conditions = ([f"{column} >= {low}"] if low is not None else []) + (
        [f"{column} < {high}"] if high is not None else []
    )
    return " AND ".join(conditions) or "TRUE"


def _name(band: Band) -> str:
    return BAND_PREFIX + "_".join("x" if key is None else str(key) for key in band)


def _parse(name: str) -> Band | None:
    parts = name[len(BAND_PREFIX) :].split("_")
    if not name.startswith(BAND_PREFIX) or len(parts) != 2 or not all(p == "x" or p.isdigit() for p in parts):
        return None
    low, high = (None if part == "x" else int(part) for part in parts)
    return low, high


def _bands() -> dict[Band, bool]:
    """The bands there are: bounds → whether the index is valid (a failed concurrent build
    leaves an invalid one, which the planner ignores)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = 'search_document'::regclass"
        )
        found = {(_parse(name), valid) for name, valid in cursor.fetchall()}
    return {band: valid for band, valid in found if band is not None}


def usable_bands() -> list[Band]:
    """The bands a query may read, soonest first."""
    return sorted((band for band, valid in _bands().items() if valid), key=lambda band: band[0] or -1)


def drop_bands() -> None:
    with connection.cursor() as cursor:
        for band in _bands():
            cursor.execute(f"DROP INDEX IF EXISTS {_name(band)}")


def _wanted_bounds(bounds: list[int], existing: list[int]) -> list[int]:
    """A bound for each of BOUND_SHARES, ascending: one already there while it holds between half
    and twice its share, else a new one at the share."""
    chosen: list[int] = []
    for share in BOUND_SHARES:
        later = [key for key in existing if not chosen or key > chosen[-1]]
        fitting = [key for key in later if share / 2 <= share_before(bounds, week_of(key)) <= share * 2]
        if fitting:
            chosen.append(min(fitting, key=lambda key: abs(share_before(bounds, week_of(key)) - share)))
            continue
        week = week_after_share(bounds, share, bounds[-1] + 1)
        if week <= bounds[-1] and (not chosen or week * WEEK_MINUTES > chosen[-1]):
            chosen.append(week * WEEK_MINUTES)
    return chosen


def refresh_bands() -> None:
    """Keep the bands between the bounds `_wanted_bounds` picks, building those not there yet and
    dropping the rest. Reads the statistics, so run it after ANALYZE."""
    bounds = histogram_weeks()
    existing = _bands()
    wanted: set[Band] = set()
    if len(set(bounds)) > 1:
        kept = sorted({key for band, valid in existing.items() if valid for key in band if key is not None})
        keys = _wanted_bounds(bounds, kept)
        if keys:
            wanted = set(zip([None, *keys], [*keys, None], strict=True))
    valid = {band for band, is_valid in existing.items() if is_valid}
    # Outside a transaction the bands are built without blocking edits meanwhile; the old ones go
    # only once the new ones are there.
    concurrently = "" if connection.in_atomic_block else "CONCURRENTLY "
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for band in sorted(wanted - valid, key=lambda band: band[0] or -1):
            cursor.execute(f"DROP INDEX IF EXISTS {_name(band)}")  # an invalid one, if any
            cursor.execute(
                f"CREATE INDEX {concurrently}{_name(band)} ON search_document USING gin (tsv) "
                f"WHERE {band_condition(band)}"
            )
        for band in set(existing) - wanted:
            cursor.execute(f"DROP INDEX IF EXISTS {_name(band)}")
        cursor.execute("RESET maintenance_work_mem")
