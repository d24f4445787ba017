"""The lottery's algorithm, apart from the database so anyone can rerun a recorded draw.

Version 1 (`sha256-rank/1`): every entry's rank is SHA-256 of "<seed>:<application id>"; the
drawn order sorts entries by (priority tier, rank). With a 256-bit random seed every order of the
entries within a tier is equally likely, and the rank of an entry does not depend on which other
entries there are, so the record can be checked with nothing but a SHA-256 implementation.
Seats then go down the drawn order to every entry that fits what is left (a party of two needs
two seats); an entry that does not fit goes to the waiting list in its drawn place, and smaller
entries after it still win, so no seat stays empty while someone who fits is waiting.
"""

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ALGORITHM = "sha256-rank/1"


@dataclass(frozen=True)
class Entry:
    application_id: int
    party_size: int = 1
    childcare: int = 0
    first_time: bool = False


@dataclass(frozen=True)
class Result:
    drawn_order: list[int]
    winners: list[int]


def new_seed() -> str:
    return secrets.token_hex(32)


def rank(seed: str, application_id: int) -> bytes:
    return hashlib.sha256(f"{seed}:{application_id}".encode("ascii")).digest()


def draw_order(entries: Iterable[Entry], *, seed: str, first_timers_first: bool) -> list[Entry]:
    def key(entry: Entry) -> tuple[int, bytes]:
        tier = 0 if first_timers_first and entry.first_time else 1
        return tier, rank(seed, entry.application_id)

    return sorted(entries, key=key)


def allocate(ordered: Sequence[Entry], *, seats: int | None, childcare_places: int | None) -> list[int]:
    """The winners, in drawn order. `None` means no limit."""
    seats_left = seats
    childcare_left = childcare_places
    winners = []
    for entry in ordered:
        if seats_left is not None and entry.party_size > seats_left:
            continue
        if entry.childcare and childcare_left is not None and entry.childcare > childcare_left:
            continue
        winners.append(entry.application_id)
        if seats_left is not None:
            seats_left -= entry.party_size
        if entry.childcare and childcare_left is not None:
            childcare_left -= entry.childcare
    return winners


def draw(
    entries: Iterable[Entry], *, seed: str, seats: int | None, childcare_places: int | None, first_timers_first: bool
) -> Result:
    ordered = draw_order(entries, seed=seed, first_timers_first=first_timers_first)
    winners = allocate(ordered, seats=seats, childcare_places=childcare_places)
    return Result(drawn_order=[e.application_id for e in ordered], winners=winners)
