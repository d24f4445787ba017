"""What every benchmark needs: its own throwaway database, and a few ways to print figures."""

import math
import unicodedata
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection


def bench_database_name(name: str) -> str:
    """`name` as an SQLite file under var/bench/, or `<configured name>_<name>` on PostgreSQL."""
    original = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        directory = settings.VAR_DIR / "bench"
        directory.mkdir(parents=True, exist_ok=True)
        bench_name = str(directory / f"{name}.sqlite3")
    else:
        bench_name = f"{original}_{name}"
    if bench_name == str(original):
        raise SystemExit("Refusing to benchmark on the development database.")
    return bench_name


def create_database(name: str) -> str:
    """Point the connection at a fresh benchmark database; return the name it replaced."""
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": bench_database_name(name)}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return original


def use_database(name: str) -> None:
    """Point the connection at the benchmark database a kept run left behind."""
    bench_name = bench_database_name(name)
    connection.close()
    connection.settings_dict["NAME"] = bench_name
    settings.DATABASES["default"]["NAME"] = bench_name


def run_in_own_database(name: str, benchmark: Callable[[], int], *, keep: bool) -> int:
    original = create_database(name)
    try:
        return benchmark()
    finally:
        connection.creation.destroy_test_db(original, verbosity=0, keepdb=keep)


def database_label() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return connection.display_name


def pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Japanese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


def disk_read_megabytes() -> float:
    """What the machine's disks have read since it started (Linux; NaN elsewhere). Taken before and
    after a measurement, it tells figures that waited on the disk from those that did not: a
    machine short of memory drops cached pages of the database, and reads them again."""
    stats = Path("/proc/diskstats")
    if not stats.exists():
        return math.nan
    sectors = 0
    for line in stats.read_text().splitlines():
        fields = line.split()
        if Path("/sys/block", fields[2]).exists():  # whole disks only: their partitions count again
            sectors += int(fields[5])
    return sectors * 512 / 2**20
