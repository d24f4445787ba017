"""How fast is the public catalogue list on a large catalogue?

Builds a throwaway database, fills it with a synthetic catalogue, and times what the list page
runs (`catalog.selectors.catalog_search`, the count, the first page and page 50) for a few filter
combinations. Each figure is printed next to a baseline measured in the same run on the same
database: one page of opportunities fetched by primary key with no filter and no related rows.
The ratio is what to compare between machines and commits; the milliseconds depend on the machine.

Environment:
    BENCH_OPPORTUNITIES  opportunities to generate (default 50000)
    BENCH_REPEAT         timed runs per figure, the median is shown (default 5)
    BENCH_KEEP           "1" keeps the benchmark database afterwards
    DATABASE_URL         when it names a PostgreSQL server, the benchmark creates and drops its own
                         database "<name>_catalog_bench" there; otherwise an SQLite file under var/bench/.
                         The database DATABASE_URL itself names is never used.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manabiya.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from tqdm import tqdm  # noqa: E402

from common import database_label, pad, run_in_own_database  # noqa: E402
from manabiya.catalog.demo.synthetic import generate_catalog, synthetic_code  # noqa: E402
from manabiya.catalog.models import LearningOpportunity, Session  # noqa: E402
from manabiya.catalog.selectors import CatalogQuery, catalog_search  # noqa: E402
from manabiya.catalog.views.public import PAGE_SIZE  # noqa: E402

OPPORTUNITIES = int(os.environ.get("BENCH_OPPORTUNITIES", "50000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
KEEP = os.environ.get("BENCH_KEEP", "") == "1"
LATER_PAGE = 50

QUERIES = [
    ("no filters", CatalogQuery()),
    ("municipality + category", CatalogQuery(municipality=synthetic_code(0), category="arts")),
    ("weekday + time (Sat morning)", CatalogQuery(weekdays=[6], times=["morning"])),
    ("open for applications now", CatalogQuery(open_now=True)),
    ("keyword 書道", CatalogQuery(q="書道")),
]


def median_ms(run: Callable[[], object]) -> float:
    run()  # warm the caches and the connection
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def figure(ms: float, baseline: float) -> str:
    return f"{ms:8.1f} ms ×{ms / baseline:<6.0f}"


def main() -> int:
    return run_in_own_database("catalog_bench", run_benchmark, keep=KEEP)


def run_benchmark() -> int:
    database = database_label()
    print(
        f"Generating {OPPORTUNITIES:,} opportunities in {settings.DATABASES['default']['NAME']} ...",
        flush=True,
    )
    with tqdm(total=OPPORTUNITIES, unit="opp", desc="generating") as bar:
        result = generate_catalog(opportunities=OPPORTUNITIES, municipalities=10, seed=1, progress=bar.update)
    print(f"Generated in {result.seconds:.1f} s ({result.rate:,.0f} opportunities/s).")
    with connection.cursor() as cursor:
        # Give the planner fresh statistics, as autovacuum (or a periodic ANALYZE) would.
        cursor.execute("ANALYZE")

    now = timezone.now()
    baseline = median_ms(lambda: list(LearningOpportunity.objects.order_by("pk")[:PAGE_SIZE]))
    later = slice((LATER_PAGE - 1) * PAGE_SIZE, LATER_PAGE * PAGE_SIZE)

    rows = []
    for label, query in QUERIES:

        def search(query=query):
            return catalog_search(query=query, now=now)

        matches = search().count()
        count_ms = median_ms(lambda: search().count())
        first_ms = median_ms(lambda: list(search()[:PAGE_SIZE]))
        later_ms = median_ms(lambda: list(search()[later]))
        with CaptureQueriesContext(connection) as captured:
            list(search()[:PAGE_SIZE])
        rows.append((label, matches, count_ms, first_ms, later_ms, len(captured.captured_queries)))

    print()
    print(
        f"Catalogue list on {database}: {result.opportunities:,} opportunities, "
        f"{Session.objects.count():,} sessions; median of {REPEAT} runs, page size {PAGE_SIZE}."
    )
    print(f"Baseline: {PAGE_SIZE} opportunities by primary key, no filters, no related rows = {baseline:.2f} ms")
    print("Each figure: milliseconds, then ×baseline. A list page costs count + one page.\n")
    header = f"{'query':<30} {'matches':>8}  {'count':<19} {'page 1':<19} {f'page {LATER_PAGE}':<19} queries"
    print(header)
    print("-" * len(header))
    for label, matches, count_ms, first_ms, later_ms, queries in rows:
        later_figure = figure(later_ms, baseline) if matches > later.start else "(fewer pages)".ljust(19)
        print(
            f"{pad(label, 30)} {matches:>8,}  {figure(count_ms, baseline)} {figure(first_ms, baseline)} "
            f"{later_figure} {queries:>3}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
