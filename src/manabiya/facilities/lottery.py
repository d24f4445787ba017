"""The monthly room lottery (抽選申込), apart from the database so anyone can rerun a recorded draw.

Input: every applicant's ranked wishes (第1〜第3希望) for the month. A wish asks for one room on one
date for one or more consecutive booking units (午前/午後/夜間 blocks or hours); it is a tuple of
unit keys and is granted only when every one of them is still free. A unit goes to one wish at
most, units booked or blocked before the draw (`taken`) go to none, and an applicant gets at most
`cap` wishes in the month (月3コマまで), or its own limit from `caps`.

Version 1 (`rsd-rounds/1`): random serial dictatorship over rounds.

1. The drawn order: applicants sorted by SHA-256 of "<seed>:<applicant id>", as the registration
   lottery does. With a 256-bit random seed every order of the applicants is equally likely, and an
   applicant's place does not depend on who else applied, so the record can be checked with
   nothing but a SHA-256 implementation.
2. Round k = 1, 2, … tries each applicant's k-th wish, its wishes taken in rank order (ties in
   rank by wish id, the order they were submitted). Applicants take their turns in drawn order on
   odd rounds and in reverse on even rounds (a snake, as in a sports draft). In its turn an
   applicant still under its cap gets the wish if all its units are free; otherwise that wish is
   lost and the applicant waits for the next round. With ranks 1, 2, 3 and no repeats, round k
   is the round of the 第k希望; a repeated rank or a gap (a withdrawn wish) only moves the
   applicant's later wishes up or down its own list.

Why this algorithm:
- Fair between identical applicants: the order is uniformly random and everything after it is
  deterministic, so two applicants who asked for the same things have the same chances.
- Rounds instead of plain serial dictatorship: there the first applicant drawn takes all three of
  its wishes (three popular evenings) before the second gets one. In rounds each applicant gets
  one try a round, so the popular units spread over as many groups as possible, which is what the
  monthly cap is for.
- A lost wish does not fall to the applicant's next wish in the same round: someone's 第2希望 must
  not take a unit before a later-drawn applicant's 第1希望 for it has been tried. Every 第1希望 is
  tried before any 第2希望.
- The snake: with the same order every round the applicant drawn first would also have first pick
  of the second and the third wishes, and the one drawn last would pick last every time. Reversing
  the order on even rounds gives the last-drawn applicant first pick in round 2, so the luck of
  the draw evens out over the month: two groups wanting the same three units get two and one,
  never three and none. It costs nothing in fairness before the draw (reversing a uniformly random
  order gives a uniformly random order) and makes the outcome fairer after it.
- More wishes give no more per round: one try a round, counted against the cap. Extra wishes come
  after the applicant's own earlier ones, so a group that lists six wishes competes for its first
  three exactly as a group that lists three does, and gets no more than its cap.
- Repeated ranks take successive rounds instead of being tried together in one turn, which would
  reward marking every wish 第1希望: the first-drawn group would take its whole cap in round 1.

Not strategy-proof (no rounds-based lottery is): a group that expects to lose a contested 第1希望
might do better asking for a quieter room first. One applicant per registered group or person is
the service's business, not this module's.
"""

import hashlib
import secrets
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

ALGORITHM = "rsd-rounds/1"


@dataclass(frozen=True)
class Wish:
    wish_id: int  # the database id, so results map back
    applicant: int
    rank: int  # 1 = 第1希望
    units: tuple[Hashable, ...]  # unit keys, e.g. (room_id, "2027-02-03", "夜間"); all are needed


@dataclass(frozen=True)
class Result:
    algorithm: str
    drawn_order: list[int]  # applicants, in drawn order
    granted: list[int]  # wish ids, in the order they were granted


def new_seed() -> str:
    return secrets.token_hex(32)


def rank(seed: str, applicant: int) -> bytes:
    return hashlib.sha256(f"{seed}:{applicant}".encode()).digest()


def draw_order(applicants: Iterable[int], *, seed: str) -> list[int]:
    """Each applicant once, sorted by its SHA-256 rank (its id breaks a tie that never happens)."""
    return sorted(set(applicants), key=lambda applicant: (rank(seed, applicant), applicant))


def wish_lists(wishes: Iterable[Wish]) -> dict[int, list[Wish]]:
    """Each applicant's wishes in the order they are tried: by rank, then by wish id.

    Raises ValueError on a rank below 1, a wish without units or with a unit twice, or a wish id twice.
    """
    wishes = list(wishes)
    seen = set()
    for wish in wishes:
        if wish.wish_id in seen:
            raise ValueError(f"Wish {wish.wish_id} is given twice.")
        seen.add(wish.wish_id)
        if isinstance(wish.rank, bool) or not isinstance(wish.rank, int) or wish.rank < 1:
            raise ValueError(f"Wish {wish.wish_id} has rank {wish.rank!r}; ranks are whole numbers from 1.")
        if not wish.units:
            raise ValueError(f"Wish {wish.wish_id} asks for no units.")
        try:
            distinct = len(set(wish.units))
        except TypeError:
            raise ValueError(f"Wish {wish.wish_id} has a unit key that is not hashable: {wish.units!r}.") from None
        if distinct != len(wish.units):
            raise ValueError(f"Wish {wish.wish_id} asks for the same unit twice: {wish.units!r}.")
    lists: dict[int, list[Wish]] = {}
    # One sort; appending in that order keeps each applicant's list sorted.
    for wish in sorted(wishes, key=attrgetter("rank", "wish_id")):
        lists.setdefault(wish.applicant, []).append(wish)
    return lists


def allocate(
    lists: Mapping[int, Sequence[Wish]],
    order: Sequence[int],
    *,
    cap: int | None,
    caps: Mapping[int, int | None] | None = None,
    taken: Iterable[Hashable] = (),
) -> list[int]:
    """The granted wish ids, in the order granted: the rounds of the module docstring.

    `lists` comes from `wish_lists`, `order` from `draw_order` (every applicant in `lists`, once).
    A cap of None means no limit; `caps` overrides `cap` for the applicants it names.
    """
    caps = caps or {}
    for applicant, limit in [(None, cap), *caps.items()]:
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
            whose = "The cap" if applicant is None else f"Applicant {applicant}'s cap"
            raise ValueError(f"{whose} is {limit!r}; caps are whole numbers from 0, or None for no limit.")
    used = set(taken)
    granted: list[int] = []
    left = {}
    for applicant in order:
        limit = caps.get(applicant, cap)
        wishes = len(lists[applicant])
        left[applicant] = wishes if limit is None else min(limit, wishes)
    # Applicants with a wish to try in this round and room under their cap, in drawn order.
    active = [applicant for applicant in order if left[applicant]]
    round_index = 0
    while active:
        turns = active if round_index % 2 == 0 else reversed(active)
        for applicant in turns:
            wish = lists[applicant][round_index]
            if used.isdisjoint(wish.units):
                used.update(wish.units)
                granted.append(wish.wish_id)
                left[applicant] -= 1
        round_index += 1
        active = [a for a in active if left[a] and len(lists[a]) > round_index]
    return granted


def draw(
    wishes: Iterable[Wish],
    *,
    seed: str,
    cap: int | None = 3,
    caps: Mapping[int, int | None] | None = None,
    taken: Iterable[Hashable] = (),
) -> Result:
    """Draw the month's lottery; the same wishes and seed give the same result in any order given.

    `taken`: unit keys booked or blocked before the draw, never granted. Raises ValueError on
    invalid wishes or caps (see `wish_lists` and `allocate`).
    """
    lists = wish_lists(wishes)
    order = draw_order(lists, seed=seed)
    granted = allocate(lists, order, cap=cap, caps=caps, taken=taken)
    return Result(algorithm=ALGORITHM, drawn_order=order, granted=granted)
