"""How long does drawing every lottery of a busy season take?

Builds a throwaway database with 1,000 lottery opportunities of 30 seats whose applications closed an
hour ago, each with 100 applications entered in the lottery (written with bulk_create), then draws
every one through `registration.services.lottery_draw`, as the scheduled task does: one transaction
per opportunity that locks it, reads its entries, runs the algorithm, writes the statuses, the draw's
record and the audit entry, and after the commit queues one email task that tells every applicant.

The baseline, measured in the same run on the same entries (read beforehand, not timed), is the pure
algorithm: `registration.lottery.draw` for every opportunity. The ratio (service / algorithm) is
what to compare between machines and commits; the seconds depend on the machine. Goal: every draw
done in under 10 seconds.

Afterwards every opportunity must have exactly 30 winners offered a place (confirm within 72 hours,
the default rules) and 70 waiting ranked 1..70, one draw record, and one email task naming each of its
applications once.

Environment:
    BENCH_LOTTERY_OPPORTUNITIES  lotteries to draw (default 1000)
    BENCH_LOTTERY_ENTRIES        applications per lottery (default 100)
    BENCH_LOTTERY_SECONDS        stop drawing after this long and report the rate so far, so a slow commit reports in
                                 minutes instead of an hour (default 120; 0: draw them all however long it takes)
    BENCH_PROFILE                "1" also draws the first 100 lotteries again under cProfile, on a second
                                 set of opportunities, and prints where the time goes
    BENCH_KEEP                   "1" keeps the benchmark database afterwards
    DATABASE_URL                 when it names a PostgreSQL server, the benchmark creates and drops its
                                 own database "<name>_lottery_bench" there; otherwise an SQLite file under
                                 var/bench/. The database DATABASE_URL itself names is never used.
"""

import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import time
from collections import Counter, defaultdict

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manabiya.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max, Min, Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from tqdm import tqdm  # noqa: E402

from common import database_label, run_in_own_database  # noqa: E402
from manabiya.catalog.demo.synthetic import ensure_places  # noqa: E402
from manabiya.catalog.models import ApplicationMethod, Category, LearningOpportunity, Session, Status  # noqa: E402
from manabiya.registration import lottery, services  # noqa: E402
from manabiya.registration.models import Application, ApplicationStatus, LotteryDraw  # noqa: E402
from manabiya.registration.services import CODE_ALPHABET  # noqa: E402

# Measure what production runs: with DEBUG on, Django also records every query it sends.
settings.DEBUG = False

OPPORTUNITIES = int(os.environ.get("BENCH_LOTTERY_OPPORTUNITIES", "1000"))
ENTRIES = int(os.environ.get("BENCH_LOTTERY_ENTRIES", "100"))
BUDGET_SECONDS = float(os.environ.get("BENCH_LOTTERY_SECONDS", "120"))
PROFILE = os.environ.get("BENCH_PROFILE", "") == "1"
KEEP = os.environ.get("BENCH_KEEP", "") == "1"
SEATS = 30
CONFIRM_HOURS = 72  # ApplicationRules' default
PROFILED = 100

# What the project aims for.
GOAL_SECONDS = 10


def checkin_code(n: int) -> str:
    """A distinct code for each application of an opportunity, in the format the service makes."""
    digits = []
    for _ in range(8):
        n, digit = divmod(n, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[digit])
    return f"{''.join(digits[:4])}-{''.join(digits[4:])}"


def lotteries(count: int, *, now: dt.datetime, first: int, bar: tqdm) -> list[LearningOpportunity]:
    """`count` published lotteries of SEATS seats, closed an hour ago, each with ENTRIES entries."""
    place = ensure_places(1)[0]
    provider, venue = place.providers[0]
    category = Category.objects.get(slug="ict")
    starts = timezone.localtime(now).replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=14)
    with transaction.atomic():
        opportunities = LearningOpportunity.objects.bulk_create(
            [
                LearningOpportunity(
                    municipality=place.municipality,
                    provider=provider,
                    venue=venue,
                    title=f"抽選講座 {first + i}",
                    category=category,
                    capacity=SEATS,
                    application_method=ApplicationMethod.LOTTERY,
                    application_opens_at=now - dt.timedelta(days=14),
                    application_closes_at=now - dt.timedelta(hours=1),
                    status=Status.PUBLISHED,
                    status_changed_at=now - dt.timedelta(days=20),
                    published_at=now - dt.timedelta(days=20),
                    first_starts_at=starts,
                    last_ends_at=starts + dt.timedelta(hours=2),
                )
                for i in range(count)
            ],
            batch_size=500,
        )
        sessions = []
        for opportunity in opportunities:
            session = Session(opportunity=opportunity, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
            session.fill_derived()
            sessions.append(session)
        Session.objects.bulk_create(sessions, batch_size=1000)
    for chunk in range(0, count, 20):
        with transaction.atomic():
            Application.objects.bulk_create(
                [
                    Application(
                        opportunity=opportunity,
                        name=f"市民 {n}",
                        name_kana="シミン",
                        email=f"citizen{n}@example.jp",
                        phone="042-000-0000",
                        status=ApplicationStatus.ENTERED,
                        first_time=n % 3 == 0,
                        checkin_code=checkin_code(n),
                    )
                    for opportunity in opportunities[chunk : chunk + 20]
                    for n in range(ENTRIES)
                ],
                batch_size=2000,
            )
        bar.update(min(20, count - chunk) * ENTRIES)
    return opportunities


def draw_all(opportunities: list[LearningOpportunity], *, now: dt.datetime, budget: float = 0) -> list[float]:
    """Draw each in turn; the time each took. With a `budget` (seconds), stop once it is spent."""
    timings = []
    for opportunity in opportunities:
        started = time.perf_counter()
        services.lottery_draw(actor=None, opportunity=opportunity, now=now)
        timings.append(time.perf_counter() - started)
        if budget and sum(timings) > budget:
            break
    return timings


def check_outcome(opportunities: list[LearningOpportunity], *, now: dt.datetime) -> list[str]:
    """What is wrong with the draws; empty when nothing is."""
    problems = []
    expires = now + dt.timedelta(hours=CONFIRM_HOURS)
    losers = ENTRIES - SEATS
    rows = (
        Application.objects.filter(opportunity__in=opportunities)
        .values("opportunity_id")
        .annotate(
            offered=Count("pk", filter=Q(status=ApplicationStatus.OFFERED, offer_expires_at=expires)),
            waiting=Count("pk", filter=Q(status=ApplicationStatus.WAITING)),
            total=Count("pk"),
            low=Min("waiting_rank"),
            high=Max("waiting_rank"),
        )
    )
    wrong = [
        r
        for r in rows
        # Ranks are unique per opportunity (a constraint), so 1..70 over 70 rows has no gaps.
        if (r["offered"], r["waiting"], r["total"], r["low"], r["high"]) != (SEATS, losers, ENTRIES, 1, losers)
    ]
    if len(rows) != len(opportunities) or wrong:
        problems.append(
            f"{len(wrong)} of {len(rows)} opportunities without {SEATS} offered until +{CONFIRM_HOURS} h and "
            f"{losers} waiting ranked 1..{losers}" + (f", e.g. {wrong[0]}" if wrong else "")
        )
    draws = LotteryDraw.objects.filter(opportunity__in=opportunities).count()
    if draws != len(opportunities):
        problems.append(f"{draws} draw records, not {len(opportunities)}")
    # The draws run in order, so the others queued nothing.
    tasks = list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    told = Counter(pk for task in tasks for pk, _kind in task["kwargs"]["messages"])
    expected = set(Application.objects.filter(opportunity__in=opportunities).values_list("pk", flat=True))
    if len(tasks) != len(opportunities) or set(told) != expected or any(n != 1 for n in told.values()):
        problems.append(
            f"{len(tasks):,} email tasks naming {len(told):,} applications, not one task per draw "
            f"naming each of the {len(expected):,} applications once"
        )
    return problems


def main() -> int:
    return run_in_own_database("lottery_bench", run_benchmark, keep=KEEP)


def run_benchmark() -> int:
    database = database_label()
    now = timezone.now()
    total = OPPORTUNITIES * ENTRIES
    print(f"Generating {OPPORTUNITIES:,} lotteries with {total:,} entries in {connection.settings_dict['NAME']} ...")
    started = time.perf_counter()
    with tqdm(total=total, unit="entry", desc="generating") as bar:
        opportunities = lotteries(OPPORTUNITIES, now=now, first=0, bar=bar)
    print(f"Generated in {time.perf_counter() - started:.1f} s.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # The baseline: the algorithm alone, on each opportunity's entries as the service reads them.
    entries = defaultdict(list)
    for opportunity_id, *entry in (
        Application.objects.filter(status=ApplicationStatus.ENTERED)
        .order_by("opportunity_id", "pk")
        .values_list("opportunity_id", "pk", "party_size", "childcare_count", "first_time")
    ):
        entries[opportunity_id].append(lottery.Entry(*entry))
    started = time.perf_counter()
    for opportunity in opportunities:
        lottery.draw(
            entries[opportunity.pk],
            seed=lottery.new_seed(),
            seats=SEATS,
            childcare_places=None,
            first_timers_first=False,
        )
    algorithm_seconds = time.perf_counter() - started

    with CaptureQueriesContext(connection) as captured:
        first_draw = draw_all(opportunities[:1], now=now)
    queries = len(captured.captured_queries)
    timings = first_draw + draw_all(opportunities[1:], now=now, budget=BUDGET_SECONDS)
    drawn = len(timings)
    service_seconds = sum(timings)
    problems = check_outcome(opportunities[:drawn], now=now)
    # Seconds for every draw: measured, or when the budget stopped them, at the rate measured.
    all_seconds = service_seconds * OPPORTUNITIES / drawn

    print()
    print(
        f"Lottery draws on {database}: {OPPORTUNITIES:,} opportunities × {ENTRIES} entries = {total:,} applications, "
        f"{SEATS} seats each, one transaction per draw."
    )
    print(
        f"Baseline: the algorithm alone (registration.lottery.draw) on the same entries = {algorithm_seconds:.2f} s "
        f"({algorithm_seconds / OPPORTUNITIES * 1000:.2f} ms a draw)\n"
    )
    header = f"{'':<34} {'total s':>9} {'draws/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'×baseline':>10} {'queries':>8}"
    print(header)
    print("-" * len(header))
    ordered = sorted(timings)
    p99 = ordered[max(round(0.99 * len(ordered)) - 1, 0)]
    estimated = "*" if drawn < OPPORTUNITIES else " "
    print(
        f"{'services.lottery_draw, every one':<34} {all_seconds:>8.2f}{estimated} {drawn / service_seconds:>8.0f} "
        f"{statistics.median(timings) * 1000:>8.1f} {p99 * 1000:>8.1f} {all_seconds / algorithm_seconds:>10.0f} "
        f"{queries:>8}"
    )
    if drawn < OPPORTUNITIES:
        print(
            f"* BENCH_LOTTERY_SECONDS={BUDGET_SECONDS:g} stopped the draws: {drawn:,} of {OPPORTUNITIES:,} drawn in "
            f"{service_seconds:.1f} s; the total is at that rate (BENCH_LOTTERY_SECONDS=0 draws them all)."
        )
    print(
        f"Queries: those of one draw, the email tasks queued after its commit included.\n"
        f"Goal: every draw in under {GOAL_SECONDS} s: {'met' if all_seconds < GOAL_SECONDS else 'MISSED'} "
        f"({all_seconds:.1f} s{', estimated' if estimated.strip() else ''})."
    )
    if problems:
        print("Outcome WRONG: " + "; ".join(problems))
    else:
        print(
            f"Outcome: each of the {drawn:,} drawn has {SEATS} offered (confirm within {CONFIRM_HOURS} h) and "
            f"{ENTRIES - SEATS} waiting ranked 1..{ENTRIES - SEATS}, one draw record, "
            f"one email task per draw telling its {ENTRIES} applicants: ok."
        )
    if PROFILE:
        profile(now)
    return 1 if problems else 0


def profile(now: dt.datetime) -> None:
    with tqdm(total=PROFILED * ENTRIES, unit="entry", desc="generating again") as bar:
        opportunities = lotteries(PROFILED, now=now, first=OPPORTUNITIES, bar=bar)
    profiler = cProfile.Profile()
    profiler.enable()
    draw_all(opportunities, now=now)
    profiler.disable()
    print(f"\nProfile of {PROFILED} more draws (slower under the profiler), by own time:")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    print("By cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    sys.exit(main())
