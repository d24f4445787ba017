"""Values a process reads from the database and keeps for a while: for figures that change
slowly and that every request would otherwise read again (planner statistics, index layout)."""

import math
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")

_kept: dict[tuple, tuple[float, object]] = {}


def recently_read(name: str, seconds: float, read: Callable[[], T]) -> T:
    """`read()`, or what it returned in this process within the last `seconds` for the same
    database (`forget` drops it at once, for the process that changed it)."""
    key = (name, connection.alias, connection.settings_dict["NAME"])
    read_at, value = _kept.get(key, (-math.inf, None))
    if time.monotonic() - read_at > seconds:
        value = read()
        _kept[key] = (time.monotonic(), value)
    return value  # type: ignore[return-value]


def forget(name: str) -> None:
    for key in [key for key in _kept if key[0] == name]:
        del _kept[key]
