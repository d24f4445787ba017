"""How fast is the Japanese catalogue search on a very large catalogue?

Builds a throwaway database, fills it with a synthetic catalogue (without indexing it), times the
full index build, then times a fixed mix of query kinds (two-character words, long words, kana
readings, synonyms, several words, filters, a later page, facet counts) and the reindex of single
opportunities, each in its own transaction as an edit does it.

Each kind is timed twice: "ranked" is the index's share (`run_search`, the count and the page's
ids in relevance order) and "page" what the list page runs (`catalog_search`, the count and the
page's opportunities with what a row shows). Next to each kind, the naive baseline measured in the
same run on the same database: the same words through `title__icontains | description__icontains`
(every word, AND) over upcoming published opportunities ordered by date, count and one page (plus,
for facet kinds, counts by municipality and by category). The ratio (search page / naive, at p50)
is what to compare between machines and commits; the milliseconds depend on the machine.

Environment:
    BENCH_SEARCH_OPPORTUNITIES  opportunities to generate (default 1000000)
    BENCH_REPEAT                timed runs of each query (default 10; at least 30 samples per kind)
    BENCH_NAIVE_REPEAT          timed runs of each query for the naive baseline, which scans the
                                whole table and can take seconds at a million rows (default 2)
    BENCH_KIND_SECONDS          stop repeating a kind's queries after this long, so a pathologically
                                slow kind reports fewer runs instead of taking hours (default 120)
    BENCH_REINDEX               opportunities reindexed one by one (default 200)
    BENCH_KEEP                  "1" keeps the benchmark database afterwards
    BENCH_REUSE                 "1" runs on the database a BENCH_KEEP run left, without generating
                                again (the index is still rebuilt and timed, unless BENCH_REBUILD=0)
    DATABASE_URL                when it names a PostgreSQL server, the benchmark creates and drops its
                                own database "<name>_search_bench" there; otherwise an SQLite file
                                under var/bench/. The database DATABASE_URL itself names is never used.
"""

import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manabiya.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import OperationalError, connection, transaction  # noqa: E402
from django.db.models import Count, Exists, OuterRef, Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from tqdm import tqdm  # noqa: E402

from common import database_label, disk_read_megabytes, pad, run_in_own_database, use_database  # noqa: E402
from manabiya.catalog.demo.synthetic import GenerateResult, generate_catalog, synthetic_code  # noqa: E402
from manabiya.catalog.facets import facet_counts  # noqa: E402
from manabiya.catalog.models import LearningOpportunity, Session, Status  # noqa: E402
from manabiya.catalog.search_documents import KIND, reindex  # noqa: E402
from manabiya.catalog.selectors import CatalogQuery, catalog_search, with_list_relations  # noqa: E402
from manabiya.catalog.selectors_search import run_search  # noqa: E402
from manabiya.catalog.views.public import PAGE_SIZE  # noqa: E402
from manabiya.search.backends import backend  # noqa: E402
from manabiya.search.models import SearchDocument  # noqa: E402
from manabiya.search.services import rebuild  # noqa: E402

# Measure what production runs: with DEBUG on, Django also records every query it sends.
settings.DEBUG = False

OPPORTUNITIES = int(os.environ.get("BENCH_SEARCH_OPPORTUNITIES", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
NAIVE_REPEAT = int(os.environ.get("BENCH_NAIVE_REPEAT", "2"))
KIND_SECONDS = float(os.environ.get("BENCH_KIND_SECONDS", "120"))
REINDEX = int(os.environ.get("BENCH_REINDEX", "200"))
KEEP = os.environ.get("BENCH_KEEP", "") == "1"
REUSE = os.environ.get("BENCH_REUSE", "") == "1"
REBUILD = os.environ.get("BENCH_REBUILD", "1") == "1"
MIN_SAMPLES = 30

# What the project aims for at a million opportunities.
GOAL_P95_MS = 50
GOAL_BUILD_S = 10 * 60
GOAL_REINDEX_MS = 5


@dataclass
class Kind:
    label: str
    queries: list[CatalogQuery]
    page_number: int = 1
    facets: bool = False

    @property
    def page(self) -> slice:
        return slice((self.page_number - 1) * PAGE_SIZE, self.page_number * PAGE_SIZE)


def _q(text: str, **filters) -> CatalogQuery:
    return CatalogQuery(q=text, **filters)


# Words from the generator's vocabulary (catalog/demo/synthetic.py: TOPICS, nouns, audiences) and
# the seeded synonym sets (search/synonyms.py).
KINDS = [
    Kind("2 chars", [_q("料理"), _q("書道"), _q("手話"), _q("防災"), _q("将棋")]),
    Kind("4+ chars", [_q("プログラミング"), _q("スマートフォン"), _q("ボードゲーム"), _q("国際交流")]),
    Kind("kana reading", [_q("しょどう"), _q("りょうり"), _q("とうげい"), _q("しゃしん")]),
    Kind("synonym", [_q("スマホ"), _q("ＰＣ"), _q("クッキング"), _q("カメラ")]),
    Kind("multi-word", [_q("料理 教室"), _q("英会話 初心者"), _q("書道 体験会"), _q("シニア ヨガ")]),
    Kind(
        "filtered",
        [
            _q("教室", municipality=synthetic_code(0)),
            _q("料理", category="cooking"),
            _q("講座", weekdays=[6]),
            _q("ヨガ", municipality=synthetic_code(1), weekdays=[2], times=["morning"]),
            _q("写真", category="arts", fee="free"),
        ],
    ),
    Kind("common word", [_q("教室"), _q("講座"), _q("体験")]),
    Kind("page 10", [_q("教室"), _q("講座"), _q("料理"), _q("スマホ")], page_number=10),
    Kind("facets", [_q("料理"), _q("スマホ"), _q("教室"), _q("英会話 初心者")], facets=True),
    Kind("facets + filter", [_q("教室", municipality=synthetic_code(0)), _q("体験", weekdays=[6])], facets=True),
]


@dataclass
class Figures:
    label: str
    queries: int
    matches: list[int] = field(default_factory=list)
    estimated: list[bool] = field(default_factory=list)  # the search's count is an estimate
    naive_matches: list[int] = field(default_factory=list)
    ranked: list[float] = field(default_factory=list)
    page: list[float] = field(default_factory=list)
    naive: list[float] = field(default_factory=list)
    by_query: dict[int, list[float]] = field(default_factory=dict)  # page timings of each query
    disk_mb: float = math.nan  # read from disk by the whole machine meanwhile


def percentile(samples: list[float], p: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else math.nan
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def database_size() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(connection.settings_dict["NAME"]).stat().st_size


def table_size() -> int:
    """search_document with its B-tree indexes and, on PostgreSQL, the tsvector and GIN index."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_document')")
            return int(cursor.fetchone()[0])
        try:
            cursor.execute(
                "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name = 'search_document' "
                "OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'search_document')"
            )
        except OperationalError:  # SQLite built without the dbstat table
            return 0
        return int(cursor.fetchone()[0])


# The naive baseline: what a search without an index would run.


def naive_queryset(query: CatalogQuery, now):
    qs = LearningOpportunity.objects.filter(status=Status.PUBLISHED, last_ends_at__gte=now)
    for word in query.q.split():
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if query.municipality:
        qs = qs.filter(municipality__code=query.municipality)
    if query.category:
        qs = qs.filter(Q(category__slug=query.category) | Q(category__parent__slug=query.category))
    if query.fee == "free":
        qs = qs.filter(fee=0)
    if query.weekdays or query.times:
        sessions = Session.objects.filter(opportunity=OuterRef("pk"), ends_at__gte=now)
        if query.weekdays:
            sessions = sessions.filter(weekday__in=query.weekdays)
        if query.times:
            sessions = sessions.filter(time_of_day__in=query.times)
        qs = qs.filter(Exists(sessions))
    return qs.order_by("first_starts_at", "id")


def naive_run(query: CatalogQuery, now, page: slice, facets: bool) -> int:
    qs = naive_queryset(query, now)
    matches = qs.count()
    list(qs[page])
    if facets:
        list(qs.order_by().values_list("municipality_id").annotate(n=Count("id")))
        list(qs.order_by().values_list("category__parent_id").annotate(n=Count("id")))
    return matches


# What the search runs.


def ranked_run(query: CatalogQuery, now, page: slice, facets: bool) -> int:
    """The index's share: match, filter, rank, count, the page's ids (or the facet counts)."""
    found = run_search(query=query, now=now, fetch=lambda qs: qs)
    if facets:
        facet_counts(found)
        return 0
    matches = found.results.count()
    found.results.object_ids(page)
    return matches


def page_run(query: CatalogQuery, now, page: slice, facets: bool):
    """The list page: count, the page's opportunities with their list relations, the facets."""
    if facets:
        found = run_search(query=query, now=now, fetch=lambda qs: with_list_relations(qs, now=now))
        results = found.results
        facet_counts(found)
    else:
        results = catalog_search(query=query, now=now)
    results.count()
    list(results[page])
    return results


def total_of(results) -> tuple[int, bool]:
    """How many documents the search found, and whether that is exact: above a cap the search
    estimates its count (and the list page shows the capped figure)."""
    total = getattr(results, "total", None)
    if total is None:
        return results.count(), True
    return int(total.value), bool(total.exact)


def measure(kind: Kind, now) -> Figures:
    figures = Figures(kind.label, len(kind.queries))
    for query in kind.queries:  # warm the caches, and see what each finds
        matches, exact = total_of(page_run(query, now, kind.page, kind.facets))
        figures.matches.append(matches)
        figures.estimated.append(not exact)
    started, disk_before = time.monotonic(), disk_read_megabytes()
    rounds = max(REPEAT, math.ceil(MIN_SAMPLES / len(kind.queries)))
    for round_ in range(rounds):
        if round_ and time.monotonic() - started > KIND_SECONDS:
            break  # pathologically slow: what was measured shows it
        for n, query in enumerate(kind.queries):
            figures.ranked.append(timed(lambda query=query: ranked_run(query, now, kind.page, kind.facets)))
            page_ms = timed(lambda query=query: page_run(query, now, kind.page, kind.facets))
            figures.page.append(page_ms)
            figures.by_query.setdefault(n, []).append(page_ms)
    figures.disk_mb = disk_read_megabytes() - disk_before
    # The naive scan needs no warming: reading the table is its cost. Its first run counts the matches.
    for query in kind.queries:
        started = time.perf_counter()
        figures.naive_matches.append(naive_run(query, now, kind.page, kind.facets))
        figures.naive.append((time.perf_counter() - started) * 1000)
    for _ in range(NAIVE_REPEAT - 1):
        for query in kind.queries:
            figures.naive.append(timed(lambda query=query: naive_run(query, now, kind.page, kind.facets)))
    return figures


def measure_reindex(count: int) -> tuple[list[float], list[float]]:
    """Reindex single opportunities, each in its own transaction as an edit would: the time of
    `reindex` itself, and with the commit (where SQLite's FTS5 writes its pending segment)."""
    ids = list(SearchDocument.objects.filter(kind=KIND).values_list("object_id", flat=True))
    chosen = random.Random(2).sample(ids, min(count, len(ids)))
    inside, committed = [], []
    for object_id in [chosen[0], *chosen]:  # the first one warms up and is not counted
        started = time.perf_counter()
        with transaction.atomic():
            reindex([object_id])
            inside.append((time.perf_counter() - started) * 1000)
        committed.append((time.perf_counter() - started) * 1000)
    return inside[1:], committed[1:]


def main() -> int:
    if REUSE:
        use_database("search_bench")
        return run_benchmark()
    return run_in_own_database("search_bench", run_benchmark, keep=KEEP)


def run_benchmark() -> int:
    database = database_label()
    print(
        f"Generating {OPPORTUNITIES:,} opportunities in {settings.DATABASES['default']['NAME']} ...",
        flush=True,
    )
    if REUSE:
        result = GenerateResult(opportunities=LearningOpportunity.objects.count(), sessions=0, seconds=0.0)
        print(f"Reusing the {result.opportunities:,} opportunities already there.", flush=True)
    else:
        with tqdm(total=OPPORTUNITIES, unit="opp", desc="generating", mininterval=5) as bar:
            result = generate_catalog(
                opportunities=OPPORTUNITIES, municipalities=10, seed=1, index=False, progress=bar.update
            )
        print(f"Generated in {result.seconds:.1f} s ({result.rate:,.0f} opportunities/s).", flush=True)
    with connection.cursor() as cursor:
        # Give the planner fresh statistics, as autovacuum (or a periodic ANALYZE) would.
        cursor.execute("ANALYZE")

    if REBUILD or not REUSE:
        with tqdm(unit="doc", desc="indexing", mininterval=5) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            started = time.monotonic()
            documents = rebuild(kind=KIND, progress=progress)
            build_seconds = time.monotonic() - started
        print(f"Index built in {build_seconds:.1f} s ({documents / build_seconds:,.0f} documents/s).", flush=True)
    else:
        documents, build_seconds = SearchDocument.objects.filter(kind=KIND).count(), math.nan
        # As the hourly pruning leaves it: a previous run's reindexes left SQLite's text index in
        # many segments (3,000 edits made スマホ's page 35 % slower until it was merged again) and
        # PostgreSQL's pending lists full (600 edits: multi-word pages 7 ms slower at p50).
        started = time.monotonic()
        backend().optimize()
        backend().settle()
        print(
            f"Reusing the index of {documents:,} documents, optimized and settled in "
            f"{time.monotonic() - started:.1f} s.",
            flush=True,
        )
    started = time.monotonic()
    # Measure the steady state autovacuum leads to: on PostgreSQL a rebuild leaves a dead row
    # version for every document (and a reused database those of the previous build too), which
    # searches would otherwise step over until autovacuum came by, perhaps in the middle of them.
    statement = "VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    print(f"{statement} after the build: {time.monotonic() - started:.1f} s.")
    index_size, document_size, total_size = backend().size_bytes(), table_size(), database_size()
    print(
        f"Text index {megabytes(index_size)}; search_document table {megabytes(document_size)}; "
        f"whole database {megabytes(total_size)}.",
        flush=True,
    )

    now = timezone.now()
    rows = []
    for kind in KINDS:
        figures = measure(kind, now)
        rows.append(figures)
        print(
            f"  {kind.label}: page p95 {percentile(figures.page, 95):.1f} ms, "
            f"naive p50 {statistics.median(figures.naive):.1f} ms",
            flush=True,
        )
    before = disk_read_megabytes()
    reindex_timings, reindex_committed = measure_reindex(REINDEX)
    reindex_disk_mb = disk_read_megabytes() - before

    print()
    published = LearningOpportunity.objects.filter(status=Status.PUBLISHED).count()
    upcoming = SearchDocument.objects.filter(kind=KIND, ends_at__gte=now).count()
    print(
        f"Search on {database}: {result.opportunities:,} opportunities ({published:,} published), "
        f"{documents:,} documents ({upcoming:,} not over), {Session.objects.count():,} sessions."
    )
    print(
        f"Generated in {result.seconds:.1f} s; index build {build_seconds:.1f} s; text index {megabytes(index_size)}, "
        f"search_document {megabytes(document_size)}, database {megabytes(total_size)}."
    )
    print(
        f"Milliseconds per query, page size {PAGE_SIZE}; {REPEAT}+ runs of each query (≥{MIN_SAMPLES} per kind "
        f"unless a kind took over {KIND_SECONDS:.0f} s), naive {NAIVE_REPEAT} runs of each."
    )
    print("ranked: run_search + count + page ids (facet kinds: facet_counts only)")
    print("page:   catalog_search + count + page with list relations (facet kinds: + facet_counts)")
    print("naive:  icontains on title/description per word + filters, count + page (facets: 2 GROUP BYs)")
    print("ratio:  page p50 / naive p50; matches: the search's own count, ~ when it estimates (over its cap)")
    print("disk:   megabytes the machine read from disk while the kind's searches were timed\n")
    header = (
        f"{'kind':<16} {'runs':>4} {'matches':>9} {'ranked p50/p95/p99':>21} {'page p50/p95/p99':>21} "
        f"{'naive p50/p95':>15} {'naive hits':>10} {'ratio':>6} {'disk MB':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        ranked = "/".join(f"{percentile(row.ranked, p):.1f}" for p in (50, 95, 99))
        page = "/".join(f"{percentile(row.page, p):.1f}" for p in (50, 95, 99))
        naive = f"{percentile(row.naive, 50):.0f}/{percentile(row.naive, 95):.0f}"
        ratio = percentile(row.page, 50) / percentile(row.naive, 50)
        print(
            f"{pad(row.label, 16)} {len(row.page):>4} {mean_matches(row):>9} {ranked:>21} {page:>21} "
            f"{naive:>15} {statistics.mean(row.naive_matches):>10,.0f} {ratio:>6.3f} {row.disk_mb:>7,.0f}"
        )
    print()
    print("Queries: search matches (~ estimated) / naive matches, page p50 ms")
    for kind, row in zip(KINDS, rows, strict=True):
        described = ", ".join(
            f"{describe(q)} {'~' if row.estimated[i] else ''}{m:,}/{n:,} {statistics.median(row.by_query[i]):.0f} ms"
            for i, (q, m, n) in enumerate(zip(kind.queries, row.matches, row.naive_matches, strict=True))
        )
        print(f"  {pad(kind.label, 16)} {described}")
    print()
    print(
        f"Single-opportunity reindex ({len(reindex_timings)} ids, each in its own transaction): "
        f"p50 {percentile(reindex_timings, 50):.2f} ms, p95 {percentile(reindex_timings, 95):.2f} ms, "
        f"p99 {percentile(reindex_timings, 99):.2f} ms; with the commit "
        f"p50 {percentile(reindex_committed, 50):.2f} ms, p95 {percentile(reindex_committed, 95):.2f} ms; "
        f"{reindex_disk_mb:,.0f} MB read from disk meanwhile"
    )
    print()
    worst = max(rows, key=lambda row: percentile(row.page, 95))
    reindex_p95 = percentile(reindex_timings, 95)
    print(
        f"Goals at 1,000,000 opportunities: p95 < {GOAL_P95_MS} ms per kind, build < {GOAL_BUILD_S // 60} min, "
        f"single reindex < {GOAL_REINDEX_MS} ms."
    )
    print(
        f"This run ({result.opportunities:,}): worst page p95 {percentile(worst.page, 95):.1f} ms ({worst.label}), "
        f"build {build_seconds / 60:.1f} min, reindex p95 {reindex_p95:.2f} ms."
    )
    return 0


def mean_matches(row: Figures) -> str:
    return ("~" if any(row.estimated) else "") + f"{statistics.mean(row.matches):,.0f}"


def describe(query: CatalogQuery) -> str:
    extras = []
    if query.municipality:
        extras.append(f"municipality={query.municipality}")
    if query.category:
        extras.append(f"category={query.category}")
    if query.weekdays:
        extras.append(f"weekdays={','.join(map(str, query.weekdays))}")
    if query.times:
        extras.append(f"times={','.join(query.times)}")
    if query.fee:
        extras.append(f"fee={query.fee}")
    return "「" + query.q + "」" + (f" [{' '.join(extras)}]" if extras else "")


if __name__ == "__main__":
    sys.exit(main())
