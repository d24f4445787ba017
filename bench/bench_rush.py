"""How many applications a second does the site take when a popular course opens?

The rush at opening hour (申込開始直後): N citizens, each logged in, apply at once to one first-come
course of 30 seats. Everything goes through real HTTP on loopback to the production server set-up:
gunicorn running `manabiya.wsgi:application` with `MANABIYA_PROFILE=production` (DEBUG off, secure
cookies, the compressed manifest static storage after `collectstatic`, the django-tasks database
backend that writes one task row per email, no worker), serving a throwaway benchmark database.

The clients send what a browser behind the city's TLS-terminating proxy sends: the session and CSRF
cookies (sent regardless of their Secure flag), the CSRF token in the form, an `Origin` header, and
`X-Forwarded-Proto: https` as the proxy adds it (`SECURE_PROXY_SSL_HEADER`), so the production
redirect to https and the CSRF origin check run as they do in production.

The baseline, measured in the same run against the same server with the same concurrency and the
same number of requests, is the cheapest URL there is: `GET /healthz` (every middleware, one
`SELECT 1`, a tiny JSON answer, no session). It runs before the rush and again after it: when the
two differ, something else was loading the machine. The ratio apply/healthz (against their mean) is
what to compare between machines and commits; requests/s depend on the machine. Goal: apply ≥ 50% of
healthz's throughput and more than 100 applications/s. Beside each figure: the CPU time gunicorn's
processes spent per request (read from /proc; a figure the machine's other load barely moves), this
client's CPU time, how busy the machine's cores were, and (on a virtual machine) how much of their
time the host gave to others.

Afterwards the database must hold exactly 30 confirmed applications and N-30 waiting ones ranked
1..N-30 without gaps, in the order they were taken, one email task per application, and every
request must have answered as expected (apply: 302 to the application's page; healthz: 200); any
other answer, a redirect to the login page included, is counted and the first few printed.

Server: `2 × cores + 1` sync workers, gunicorn's advice and its default class. Measured on the
2-core machine this was written on (1,000 users, concurrency 200, applications/s, before the apply
POST went from 27 statements to 16): SQLite sync 36, gthread 5 × 2 threads 34; PostgreSQL sync 30,
gthread × 2 26, gthread × 4 24. An application's server CPU is nearly all Python (Django's ORM
compiling statements is half of it), so on 2 cores more threads add switching and GIL waits, not
throughput; gthread's p99 was also worse. Threads would pay where requests wait on the network (a
remote database, SMTP), not here. Try another with BENCH_RUSH_WORKER_CLASS / BENCH_RUSH_WORKERS /
BENCH_RUSH_THREADS.

The database connection: the production profile keeps each worker's connection (CONN_MAX_AGE=60).
Connecting per request (CONN_MAX_AGE=0, development's setting) is most of what /healthz costs and a
new PostgreSQL server process for every request: with it, 1,000 users gave 76 applications/s and
298–410 healthz/s; with persistent connections 147 and 2,007–2,237. The run prints the value used.

The client is this process: CONCURRENCY threads, each with its own `http.client` connection (the
standard library, no extra dependency; sync workers close the connection after each answer, so each
request connects again, as a fresh browser would). Its CPU time, printed beside the figures, is a
small part of the wall time, so it is not what limits them (but it shares the machine's cores with
the server, as it would not in production).

Environment:
    BENCH_RUSH_USERS         citizens who apply, one application each (default 5000)
    BENCH_RUSH_CONCURRENCY   requests in flight at once (default 200)
    BENCH_RUSH_WORKER_CLASS  gunicorn worker class, sync or gthread (default sync)
    BENCH_RUSH_WORKERS       gunicorn workers (default 2 × cores + 1)
    BENCH_RUSH_THREADS       threads per gthread worker (default 4; sync workers have one)
    CONN_MAX_AGE             passed on to the server (default: the production profile's, 60 s)
    BENCH_KEEP               "1" keeps the benchmark database (and the server's log) afterwards
    DATABASE_URL             when it names a PostgreSQL server, the benchmark creates and drops its own
                             database "<name>_rush_bench" there; otherwise an SQLite file under
                             var/bench/. The database DATABASE_URL itself names is never used.
"""

import datetime as dt
import http.client
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manabiya.settings")

import django

django.setup()

import gunicorn  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.base import VALID_KEY_CHARS  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session as LoginSession  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from tqdm import tqdm  # noqa: E402

from common import database_label, run_in_own_database  # noqa: E402
from manabiya.catalog.demo.synthetic import ensure_places  # noqa: E402
from manabiya.catalog.models import ApplicationMethod, Category, LearningOpportunity, Session, Status  # noqa: E402
from manabiya.core.models import User  # noqa: E402
from manabiya.registration import services  # noqa: E402
from manabiya.registration.models import Application, ApplicationStatus  # noqa: E402

settings.DEBUG = False  # the set-up here sends thousands of queries; do not record them
# The server's key, so the sessions signed here are valid there.
settings.SECRET_KEY = secrets.token_urlsafe(50)

USERS = int(os.environ.get("BENCH_RUSH_USERS", "5000"))
CONCURRENCY = int(os.environ.get("BENCH_RUSH_CONCURRENCY", "200"))
WORKER_CLASS = os.environ.get("BENCH_RUSH_WORKER_CLASS", "sync")
WORKERS = int(os.environ.get("BENCH_RUSH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
THREADS = int(os.environ.get("BENCH_RUSH_THREADS", "4")) if WORKER_CLASS == "gthread" else 1
KEEP = os.environ.get("BENCH_KEEP", "") == "1"
# What the server's settings make of the environment passed on to it (the production profile's default).
SERVER_CONN_MAX_AGE = os.environ.get("CONN_MAX_AGE", str(settings.PRODUCTION_CONN_MAX_AGE))
SEATS = 30
HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent

# What the project aims for.
GOAL_RATIO = 0.5
GOAL_PER_SECOND = 100


@dataclass
class Citizen:
    user_id: int
    session_key: str
    csrf_token: str
    request_key: str


@dataclass
class Run:
    """What one wave of requests gave: wall time, each answer's latency and status."""

    label: str
    seconds: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = math.nan
    machine_busy: float = math.nan
    machine_stolen: float = math.nan
    latencies: list[float] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)
    expect: str = ""
    failures: list[str] = field(default_factory=list)  # the first few unexpected answers, shortened
    reconnects: int = 0

    @property
    def unexpected(self) -> int:
        return sum(n for answer, n in self.answers.items() if answer != self.expect)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile_ms(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)] * 1000


# --- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def bench_database_url() -> str:
    """The benchmark database as the server's DATABASE_URL."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + str(name)))


class Server:
    """gunicorn in production mode on a free loopback port, its output in a log file."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.log_path = directory / "gunicorn.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": bench_database_url(),
            "MANABIYA_PROFILE": "production",
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": HOST,
            "MANABIYA_VAR": str(directory),  # its own static files, mail and staging directory
            "EMAIL_URL": f"file://{directory / 'mail'}",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen | None = None

    def collectstatic(self) -> None:
        # The manifest storage of production needs it before any page renders.
        command = [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"]
        subprocess.run(command, env=self.env, cwd=ROOT, check=True)  # noqa: S603

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "manabiya.wsgi:application",
            "--bind", f"{HOST}:{self.port}", "--workers", str(WORKERS), "--worker-class", WORKER_CLASS,
            "--threads", str(THREADS), "--backlog", "2048", "--timeout", "120", "--graceful-timeout", "10",
        ]  # fmt: skip
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz", headers=PROXY_HEADERS)
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"gunicorn did not answer within a minute:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def cpu_seconds(self) -> float:
        """CPU time the master and its workers have used so far (Linux; NaN elsewhere)."""
        if self.process is None or not Path("/proc/self/stat").exists():
            return math.nan
        used = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                pid, rest = stat.read_text().split(" (", 1)
            except OSError:  # a process that has gone meanwhile
                continue
            fields = rest.rsplit(") ", 1)[1].split()
            if self.process.pid in (int(pid), int(fields[1])):  # the master, or one of its workers
                used += int(fields[11]) + int(fields[12])  # utime + stime
        return used / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 30) -> str:
        if not self.log.closed:
            self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# The answers a request should get: healthz's, an application taken, the form shown.
HEALTHY = "200"
APPLIED = "302 → /mypage/applications/<n>/"
FORM = "200"

# What the city's TLS-terminating proxy adds to every request it forwards.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


# --- the clients ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict
    body: bytes | None = None


def machine_cpu() -> tuple[int, int, int]:
    """(busy, stolen, total) jiffies of all cores since boot (Linux; zeros elsewhere). Stolen is the
    time a virtual machine's host gave its cores to someone else: the figures are slower by that much."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return 0, 0, 0
    values = [int(v) for v in stat.read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    stolen = values[7] if len(values) > 7 else 0
    return sum(values) - idle, stolen, sum(values)


def wave(label: str, server: Server, requests: list[Request], *, expect: str, concurrency: int) -> Run:
    """Send `requests`, `concurrency` at a time, all clients starting at the same moment."""
    run = Run(label, expect=expect)
    port = server.port
    lock = threading.Lock()
    pending: Iterator[Request] = iter(requests)
    start = threading.Barrier(concurrency + 1)

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        start.wait()
        while True:
            with lock:
                request = next(pending, None)
            if request is None:
                break
            answer, body, seconds, reconnected = send(conn, request)
            with lock:
                run.latencies.append(seconds)
                run.answers[answer] += 1
                run.reconnects += reconnected
                if answer != expect and len(run.failures) < 5:
                    run.failures.append(f"{answer} to {request.method} {request.path}: {body[:300]!r}")
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    busy_before, stolen_before, total_before = machine_cpu()
    server_before = server.cpu_seconds()
    cpu_before = time.process_time()
    started = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    run.client_cpu = time.process_time() - cpu_before
    run.server_cpu = server.cpu_seconds() - server_before
    busy_after, stolen_after, total_after = machine_cpu()
    if total_after > total_before:
        run.machine_busy = (busy_after - busy_before) / (total_after - total_before)
        run.machine_stolen = (stolen_after - stolen_before) / (total_after - total_before)
    return run


def send(conn: http.client.HTTPConnection, request: Request) -> tuple[str, bytes, float, int]:
    """One request on `conn`, reconnecting once if the server had closed it before answering (safe for
    the apply POST too: its request_key makes a retry the same application). The answer is its
    status, and for a redirect where to, with numbers as <n>: "302 → /mypage/applications/<n>/"."""
    started = time.perf_counter()
    for attempt in (0, 1):
        try:
            conn.request(request.method, request.path, body=request.body, headers=request.headers)
            response = conn.getresponse()
            body = response.read()
            if response.will_close:
                conn.close()
            answer = str(response.status)
            if location := response.getheader("Location"):
                answer += " → " + re.sub(r"\d+", "<n>", urlsplit(location).path)
            return answer, body, time.perf_counter() - started, attempt
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as error:
            conn.close()
            if attempt:
                return type(error).__name__, b"", time.perf_counter() - started, attempt
        except (OSError, http.client.HTTPException) as error:
            conn.close()
            return type(error).__name__, str(error).encode(), time.perf_counter() - started, attempt
    raise AssertionError("unreachable")


def apply_request(port: int, opportunity_id: int, citizen: Citizen, n: int) -> Request:
    body = urlencode(
        {
            "csrfmiddlewaretoken": citizen.csrf_token,
            "name": f"市民 {n}",
            "name_kana": "シミン",
            "phone": "042-000-0000",
            "residency": "lives",
            "request_key": citizen.request_key,
        }
    ).encode()
    headers = {
        **PROXY_HEADERS,
        "Origin": f"https://{HOST}:{port}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={citizen.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={citizen.csrf_token}",
    }
    return Request("POST", reverse("registration:apply", args=[opportunity_id]), headers, body)


# --- the data -------------------------------------------------------------------------------------


def course(*, title: str, capacity: int, now: dt.datetime) -> LearningOpportunity:
    """A published first-come course, open for applications since a moment ago."""
    place = ensure_places(1)[0]
    provider, venue = place.providers[0]
    starts = timezone.localtime(now).replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=21)
    opportunity = LearningOpportunity.objects.create(
        municipality=place.municipality,
        provider=provider,
        venue=venue,
        title=title,
        summary="毎年すぐに満席になる人気講座です。",
        category=Category.objects.get(slug="ict"),
        capacity=capacity,
        application_method=ApplicationMethod.FIRST_COME,
        application_opens_at=now,
        application_closes_at=starts - dt.timedelta(days=1),
        status=Status.PUBLISHED,
        status_changed_at=now,
        published_at=now,
        first_starts_at=starts,
        last_ends_at=starts + dt.timedelta(hours=2),
    )
    Session.objects.create(opportunity=opportunity, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    return opportunity


def citizens(count: int, *, prefix: str, progress: Callable[[int], object]) -> list[Citizen]:
    """`count` accounts, each with a profile (through the service) and a logged-in session."""
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{n}@example.jp", password=make_password(None)) for n in range(count)],
        batch_size=1000,
    )
    people = []
    sessions = []
    expires = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    store = SessionStore()
    with transaction.atomic():
        for n, user in enumerate(users):
            services.profile_save(
                user=user, name=f"市民 {n}", name_kana="シミン", phone="042-000-0000", residency="lives"
            )
            login = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            key = get_random_string(32, VALID_KEY_CHARS)
            sessions.append(LoginSession(session_key=key, session_data=store.encode(login), expire_date=expires))
            people.append(
                Citizen(
                    user_id=user.pk,
                    session_key=key,
                    csrf_token=get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS),
                    request_key=secrets.token_urlsafe(24),
                )
            )
            progress(1)
        LoginSession.objects.bulk_create(sessions, batch_size=1000)
    return people


# --- the outcome ----------------------------------------------------------------------------------


def check_outcome(opportunity: LearningOpportunity, people: list[Citizen]) -> list[str]:
    """What is wrong with the course's applications after the rush; empty when nothing is."""
    problems = []
    rows = list(
        Application.objects.filter(opportunity=opportunity)
        .order_by("created_at", "pk")
        .values_list("status", "waiting_rank", "user_id")
    )
    by_status = Counter(status for status, _, _ in rows)
    if by_status[ApplicationStatus.CONFIRMED] != SEATS:
        problems.append(f"{by_status[ApplicationStatus.CONFIRMED]} confirmed, not {SEATS}")
    expected_waiting = max(len(people) - SEATS, 0)
    ranks = [rank for status, rank, _ in rows if status == ApplicationStatus.WAITING]
    if sorted(ranks) != list(range(1, expected_waiting + 1)):
        problems.append(
            f"waiting ranks are not 1..{expected_waiting}: {len(ranks)} waiting, {len(set(ranks))} distinct"
        )
    elif ranks != sorted(ranks):
        problems.append("a later application got an earlier place on the waiting list")
    if any(status == ApplicationStatus.CONFIRMED for status, _, _ in rows[SEATS:]):
        problems.append("an application taken after a waiting one was confirmed")
    others = {s: n for s, n in by_status.items() if s not in (ApplicationStatus.CONFIRMED, ApplicationStatus.WAITING)}
    if others:
        problems.append(f"unexpected statuses: {others}")
    applicants = Counter(user_id for _, _, user_id in rows)
    if len(rows) != len(people) or set(applicants) != {p.user_id for p in people}:
        problems.append(f"{len(rows)} applications from {len(applicants)} users, not one from each of {len(people)}")
    return problems


def main() -> int:
    return run_in_own_database("rush_bench", run_benchmark, keep=KEEP)


def run_benchmark() -> int:
    database = database_label()
    now = timezone.now()
    rush = course(title="大人気！スマートフォン入門講座", capacity=SEATS, now=now)
    warm_course = course(title="ウォームアップ講座", capacity=None, now=now)
    warm_count = 2 * WORKERS * THREADS
    print(f"Creating {USERS:,} citizens with profiles and sessions in {connection.settings_dict['NAME']} ...")
    with tqdm(total=USERS + warm_count, unit="user", desc="citizens") as bar:
        people = citizens(USERS, prefix="rush", progress=bar.update)
        warm_people = citizens(warm_count, prefix="warm", progress=bar.update)
    connection.close()  # the server's, now: hold no connection (nor SQLite lock) while it runs

    directory = Path(tempfile.mkdtemp(prefix="manabiya-rush-"))
    server = Server(directory)
    print(f"collectstatic and gunicorn ({WORKERS} {WORKER_CLASS} workers × {THREADS} threads) ...", flush=True)
    try:
        server.collectstatic()
        server.start()
        port = server.port
        # Warm every worker: the form page renders (templates, static manifest), applications write.
        warm_posts = [apply_request(port, warm_course.pk, p, n) for n, p in enumerate(warm_people)]
        warm = [Request("GET", post.path, post.headers) for post in warm_posts] + warm_posts
        warm += [Request("GET", "/healthz", PROXY_HEADERS)] * (4 * WORKERS * THREADS)
        warmed = wave("warm-up", server, warm, expect="", concurrency=WORKERS * THREADS)
        if set(warmed.answers) - {HEALTHY, APPLIED, FORM}:
            print(f"Warm-up answered {dict(warmed.answers)}:\n" + "\n".join(warmed.failures))
            print(server.log_tail())
            return 1

        # The baseline before and after the rush: the two differ when something else loads the machine.
        trivial = [Request("GET", "/healthz", PROXY_HEADERS)] * USERS
        before = wave("GET /healthz, before", server, trivial, expect=HEALTHY, concurrency=CONCURRENCY)
        applies = [apply_request(port, rush.pk, p, n) for n, p in enumerate(people)]
        measured = wave(f"POST {applies[0].path}", server, applies, expect=APPLIED, concurrency=CONCURRENCY)
        after = wave("GET /healthz, after", server, trivial, expect=HEALTHY, concurrency=CONCURRENCY)
    finally:
        server.stop()
    runs = (before, measured, after)

    problems = check_outcome(rush, people)
    tasks = DBTaskResult.objects.count()
    expected_tasks = USERS + warm_count
    if tasks != expected_tasks:
        problems.append(f"{tasks:,} email tasks queued, not one per application ({expected_tasks:,})")

    print()
    print(
        f"Rush on {database}: {USERS:,} citizens apply at once to one first-come course of {SEATS} seats, "
        f"concurrency {CONCURRENCY}."
    )
    print(
        f"Server: gunicorn {gunicorn.__version__}, {WORKERS} {WORKER_CLASS} workers × {THREADS} threads, "
        f"production profile (DEBUG off), CONN_MAX_AGE={SERVER_CONN_MAX_AGE}, "
        f"email tasks in the database; {os.cpu_count()} cores shared with the client."
    )
    print(
        f"Warm-up: {len(warm):,} requests ({len(warm_people)} applications to another course) first. "
        f"Baseline: GET /healthz, {USERS:,} requests before the rush and again after.\n"
    )
    header = (
        f"{'requests':<34} {'req/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'unexpected':>10} "
        f"{'server CPU ms/req':>17} {'client CPU':>12} {'machine busy':>12} {'stolen':>6}"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        print(
            f"{run.label:<34} {run.per_second:>6.0f} {run.percentile_ms(50):>7.0f} {run.percentile_ms(99):>7.0f} "
            f"{run.unexpected:>10} {run.server_cpu / len(run.latencies) * 1000:>17.1f} "
            f"{run.client_cpu:>5.1f} s/{run.seconds:>4.0f} s {run.machine_busy:>12.0%} {run.machine_stolen:>6.0%}"
        )
    baseline = (before.per_second + after.per_second) / 2
    ratio = measured.per_second / baseline
    print()
    print(
        f"Applications: {measured.per_second:.0f}/s (goal > {GOAL_PER_SECOND}: "
        f"{'met' if measured.per_second > GOAL_PER_SECOND else 'MISSED'}); apply/healthz throughput "
        f"{ratio:.2f}, against the mean of before and after "
        f"(goal ≥ {GOAL_RATIO:.2f}: {'met' if ratio >= GOAL_RATIO else 'MISSED'})."
    )
    for run in runs:
        if run.reconnects:
            print(f"{run.label}: {run.reconnects} requests sent again after the server closed the connection.")
        if run.unexpected:
            print(f"{run.label} answered: {dict(run.answers)}")
        for failure in run.failures:
            print(f"  unexpected answer: {failure}")
    if any(run.failures for run in runs):
        print(server.log_tail())
    if problems:
        print("Outcome WRONG: " + "; ".join(problems))
    else:
        print(
            f"Outcome: {SEATS} confirmed, {USERS - SEATS:,} waiting ranked 1..{USERS - SEATS:,} without gaps in the "
            f"order taken, {tasks:,} email tasks queued: ok."
        )
    if KEEP:
        print(f"Kept: the database and {directory} (gunicorn.log).")
    else:
        shutil.rmtree(directory, ignore_errors=True)
    failed = problems or any(run.unexpected for run in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
