"""SQLite: an FTS5 table of pre-tokenised text whose rowid is the index order.

The table is contentless and `ascii`-tokenised: our tokens are already split and folded, and the
ascii tokenizer keeps every non-ASCII character as part of a token, so 書道 or §6201 arrive as
written. Its rowid is `starts_key * ID_SPACE + document id`, so FTS5 returns matches soonest first
and stops after the first page: a word found in 300,000 documents costs what the page needs, not
what the word matches. A contentless table can only delete a row when handed the tokens it was
written with, so those are kept, compressed, in `search_fts_source`.
"""

import math

from django.db import connection

from ..documents import tag
from ..encode import sqlite_texts
from ..models import SearchDocument
from ..query import Plan, Scope, Spelling
from .base import Backend, Match, Position, write_rows

ID_SPACE = 10**9  # document ids stay below this; starts_key (minutes) * ID_SPACE fits 63 bits
TEXT_COLUMNS = {
    Scope.ANYWHERE: "{title title_alt body body_alt}",
    Scope.TITLE: "{title title_alt}",
    Scope.TITLE_LITERAL: "{title}",
}
FIRST_CHUNK = 200
LAST_CHUNK = 5000


def _fts_setting(name: str, value: int) -> str:
    return f"INSERT INTO search_fts (search_fts, rank) VALUES ('{name}', {value})"  # noqa: S608 (constants only)


# A rebuild writes a few hundred megabytes: let FTS5 merge its segments once, at the end
# (`optimize`), instead of over and over while it grows. Each setting as (during, afterwards).
# (A larger page cache and no cache spill for the merge, tried too, made the final merge at a
# million documents slower, 37 s against 30 s, with a peak of 3.4 GB resident against 2.0 GB.)
BULK_SETTINGS = [
    (_fts_setting("automerge", 0), _fts_setting("automerge", 4)),
    (_fts_setting("crisismerge", 64), _fts_setting("crisismerge", 16)),
]


def _trust_shadow_tables_are_large() -> None:
    """Tell the planner that FTS5's data table is large, whatever ANALYZE last saw there.

    FTS5 deletes merged segments with `DELETE … WHERE id >= ? AND id <= ?`. After an ANALYZE
    run while the index was small (it counts two rows), SQLite scans the whole table for each
    of these instead of reading the range: one merge at a million documents read 278 GB and
    took minutes, and every batch of a rebuild grew slower as the table grew. FTS5 only ever
    reads its tables by key, so a large figure is always the right one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:  # never analysed: the planner's defaults read ranges
            return
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'search_fts_data'")
        cursor.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('search_fts_data', NULL, '10000000')")
        cursor.execute("ANALYZE sqlite_schema")  # load the figure into this connection


def _apply(settings: list[tuple[str, str]], *, during: bool) -> None:
    with connection.cursor() as cursor:
        for while_on, afterwards in settings:
            cursor.execute(while_on if during else afterwards)


def rowid(position: Position) -> int:
    starts_key, document_id = position
    return starts_key * ID_SPACE + document_id


def _spelling(spelling: Spelling) -> str:
    if spelling.is_prefix:
        return f'"{spelling.tokens[0]}" *'
    return '"' + " ".join(spelling.tokens) + '"'


def text_expression(plan: Plan, scope: Scope) -> str:
    terms = []
    for term in plan.terms:
        spellings = [s for s in term.spellings if s.literal or scope is not Scope.TITLE_LITERAL]
        terms.append("(" + " OR ".join(_spelling(s) for s in spellings) + ")")
    return f"{TEXT_COLUMNS[scope]} : (" + " AND ".join(terms) + ")"


def match_expression(match: Match) -> str:
    parts = ["{tags} : (" + " OR ".join(f'"{tag}"' for tag in group) + ")" for group in match.all_tags()]
    if not match.plan.is_empty:
        parts.append(text_expression(match.plan, match.scope))
    # The kind is checked with the exact conditions (`_passing`): intersected here, the tag every
    # document of the kind carries made a sample of a five-bigram phrase 60 % slower. It is asked
    # for only when there is nothing else to ask.
    return " AND ".join(parts) or f'{{tags}} : "{tag("k", match.kind)}"'


def _passing(match: Match, cursor, ids: list[int]) -> dict[int, int]:
    """Which of these documents pass the match's exact conditions: document id → object id."""
    sql, params = match.documents_sql("pk", "object_id")
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(f'{sql} AND "search_document"."id" IN ({placeholders})', [*params, *ids])
    found = dict(cursor.fetchall())
    match.objects.update(found)
    return found


def _delete_text(cursor, rows: list[tuple[int, bytes]]) -> None:
    """Take rows out of the contentless FTS5 table: each needs the tokens it was written with."""
    cursor.executemany(
        "INSERT INTO search_fts (search_fts, rowid, title, title_alt, body, body_alt, tags) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)",
        [("delete", row_id, *sqlite_texts(tokens)) for row_id, tokens in rows],
    )


def _next_chunk(limit: int | None, found: int, read: int) -> int:
    """How many rowids to read next: what is still missing, scaled by the share that passed the
    exact conditions so far (a quarter more, to end in one go); everything for a sample."""
    if limit is None:
        return LAST_CHUNK
    passed = found / read if read else 1.0
    return min(max(math.ceil((limit - found) / max(passed, 1 / 8) * 1.25), FIRST_CHUNK), LAST_CHUNK)


class SqliteBackend(Backend):
    vendor = "sqlite"

    def create_sql(self) -> list[str]:
        return [
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
            "title, title_alt, body, body_alt, tags, tokenize = 'ascii', content = '', columnsize = 0)",
            "CREATE TABLE IF NOT EXISTS search_fts_source (id INTEGER PRIMARY KEY, tokens BLOB NOT NULL)",
        ]

    def drop_sql(self) -> list[str]:
        return ["DROP TABLE IF EXISTS search_fts", "DROP TABLE IF EXISTS search_fts_source"]

    def insert(self, documents: list[SearchDocument], payloads: list[tuple[list[str], bytes]]) -> list[SearchDocument]:
        """`payloads`: the documents' `encode.sqlite_payload`."""
        documents = write_rows(documents, None, [], replace=False)
        self._index_text(documents, payloads)
        return documents

    def replace(self, kind: str, object_ids: list[int], documents: list[SearchDocument], payloads: list) -> None:
        """The rows are written over in place (`write_rows`): an update touches only the
        indexes of what changed, where a delete and an insert touched all five."""
        placeholders = ", ".join(["%s"] * len(object_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.id, d.object_id, d.starts_key, s.tokens FROM search_document d "  # noqa: S608 (placeholders)
                f"LEFT JOIN search_fts_source s ON s.id = d.id WHERE d.kind = %s AND d.object_id IN ({placeholders})",
                [kind, *object_ids],
            )
            existing = cursor.fetchall()
            _delete_text(cursor, [(rowid((key, pk)), tokens) for pk, _object_id, key, tokens in existing if tokens])
            kept = {document.object_id for document in documents}
            gone = [pk for pk, object_id, _key, _tokens in existing if object_id not in kept]
            if gone:
                marks = ", ".join(["%s"] * len(gone))
                cursor.execute(f"DELETE FROM search_fts_source WHERE id IN ({marks})", gone)  # noqa: S608 (placeholders)
                cursor.execute(f"DELETE FROM search_document WHERE id IN ({marks})", gone)  # noqa: S608 (placeholders)
        write_rows(documents, None, [], replace=True)
        self._index_text(documents, payloads)

    def _index_text(self, documents: list[SearchDocument], payloads: list[tuple[list[str], bytes]]) -> None:
        fts_rows, sources = [], []
        for document, (texts, blob) in zip(documents, payloads, strict=True):
            fts_rows.append((rowid((document.starts_key, document.pk)), *texts))
            sources.append((document.pk, blob))
        # FTS5 writes rows of one transaction into one segment when their rowids ascend; out of
        # order it flushes and starts another (twice as slow at 80,000 rows in a test).
        fts_rows.sort()
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, title_alt, body, body_alt, tags) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                fts_rows,
            )
            cursor.executemany("INSERT OR REPLACE INTO search_fts_source (id, tokens) VALUES (%s, %s)", sources)

    def remove(self, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        keys = {document.pk: document.starts_key for document in documents}
        with connection.cursor() as cursor:
            placeholders = ", ".join(["%s"] * len(keys))
            cursor.execute(
                f"SELECT id, tokens FROM search_fts_source WHERE id IN ({placeholders})",  # noqa: S608 (placeholders)
                list(keys),
            )
            _delete_text(cursor, [(rowid((keys[pk], pk)), tokens) for pk, tokens in cursor.fetchall()])
            cursor.execute(
                f"DELETE FROM search_fts_source WHERE id IN ({placeholders})",  # noqa: S608 (placeholders)
                list(keys),
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
            cursor.execute("DELETE FROM search_fts_source")

    def begin_bulk(self) -> None:
        _trust_shadow_tables_are_large()
        _apply(BULK_SETTINGS, during=True)

    def end_bulk(self) -> None:
        _apply(BULK_SETTINGS, during=False)

    def optimize(self) -> None:
        # Merging every segment into one rewrites the whole index.
        _trust_shadow_tables_are_large()
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        # Without statistics SQLite takes `kind = … AND ends_at >= …` for selective and scans that
        # index instead of looking a walk's ids up by primary key (11 ms against 0.6 ms for 1,000
        # ids at 100,000 documents).
        self.refresh_statistics()

    def walk(self, match: Match, *, limit: int | None) -> list[Position]:
        expression = match_expression(match)
        cursor_rowid = -1
        found: list[Position] = []
        read = 0
        with connection.cursor() as cursor:
            while limit is None or len(found) < limit:
                chunk = _next_chunk(limit, len(found), read)
                cursor.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid > %s ORDER BY rowid LIMIT %s",
                    [expression, cursor_rowid, chunk],
                )
                rowids = [row[0] for row in cursor.fetchall()]
                if not rowids:
                    break
                read += len(rowids)
                cursor_rowid = rowids[-1]
                positions = [divmod(r, ID_SPACE) for r in rowids]
                kept = _passing(match, cursor, [pk for _key, pk in positions])
                found += [(key, pk) for key, pk in positions if pk in kept]
                if len(rowids) < chunk:
                    break
        return found[:limit]

    def best_tiers(self, tiers: list[Match], window: list[Position]) -> dict[int, int]:
        best: dict[int, int] = {}
        for number, tier in enumerate(tiers):
            best |= dict.fromkeys(self._members([p for p in window if p[1] not in best], tier), number)
        return best

    def _members(self, positions: list[Position], match: Match) -> set[int]:
        """FTS5 answers `rowid IN (…)` one rowid at a time, each a fresh evaluation of the query
        (2 ms apiece for a five-bigram phrase at a million rows); a rowid range is one scan."""
        if not positions:
            return set()
        rowids = {rowid(position) for position in positions}
        # FTS5 stops at the stretch's end only after finding the next match past it. A title
        # holding the query literally is rare, so that one is asked from the stretch's end down
        # towards the index's start, where the window lies (kana: 2 ms instead of 17-28 ms);
        # the wider tiers are found sooner upwards.
        direction = "DESC" if match.scope is Scope.TITLE_LITERAL else "ASC"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid BETWEEN %s AND %s "  # noqa: S608
                f"ORDER BY rowid {direction}",
                [match_expression(match), min(rowids), max(rowids)],
            )
            return {r % ID_SPACE for (r,) in cursor.fetchall() if r in rowids}

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(SUM(LENGTH(block)), 0) FROM search_fts_data")
            data = cursor.fetchone()[0]
            cursor.execute("SELECT COALESCE(SUM(LENGTH(tokens)), 0) FROM search_fts_source")
            return data + cursor.fetchone()[0]
