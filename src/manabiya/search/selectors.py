"""Reads from the search index: find, rank, count, sample, and help when nothing matched.

Every read is bounded. Results are ranked among at most COUNT_CAP documents; a count above it
is estimated from a sample (`Count.exact` says which), and so are facet counts. The index order
("sooner first") lets each step stop after what the page needs, so a word found in hundreds of
thousands of documents costs about what a rare one does.
"""

import bisect
import datetime as dt
import difflib
import math
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from manabiya.core.recent import recently_read

from .backends import backend
from .backends.base import Match, Position
from .documents import SAMPLE_LEVELS
from .models import SearchDocument, Synonym, VocabularyWord
from .query import Plan, Scope, build_plan
from .synonyms import synonym_map
from .text import fold

COUNT_CAP = 1000  # results beyond this are not paged through; narrow the search instead
# Documents a sample should hold, for the count and the facets alike ("約14,000件": about ±5 %).
SAMPLE_TARGET = 400
# Below this many documents in the smallest sample level, how far a window reached says little.
BACKGROUND_MINIMUM = 32
BACKGROUND_SECONDS = 300
# How many vocabulary words spelling suggestions compare against: the most used ones.
VOCABULARY_LIMIT = 20000


def plan_for(text: str) -> Plan:
    if not text.strip():
        return build_plan("")
    sets = [synonym.word_list() for synonym in Synonym.objects.all()]
    return build_plan(text, synonym_map(sets))


def _tiers(match: Match) -> list[Match]:
    """The relevance tiers, best first, each a narrower question than the next: the title holds
    the query as typed, as one phrase; the title matches every term in some spelling; the phrase
    is somewhere; the terms are found, scattered (the match itself)."""
    if match.plan.is_empty:
        return [match]
    phrase = match.plan.phrase()
    return [
        match.narrowed(plan=phrase, scope=Scope.TITLE_LITERAL),
        match.narrowed(scope=Scope.TITLE),
        match.narrowed(plan=phrase),
        match,
    ]


def ranked(match: Match, *, offset: int, limit: int, open_first: Q | None = None) -> list[int]:
    """Document ids in relevance order: tier by tier, sooner first within a tier, and on the same
    day those matching `open_first` (applications open now) first.

    The ranked set is bounded: the COUNT_CAP soonest matches (all of them when there are fewer),
    which is also all a citizen can page through. Each tier is then one question about those
    candidates, so a tier few documents reach never walks the whole index looking for them."""
    need = min(offset + limit, COUNT_CAP)
    index = backend()
    tiers = _tiers(match)
    candidates = window(match)[:COUNT_CAP]
    best = index.best_tiers(tiers[:-1], candidates)
    last = len(tiers) - 1
    order = sorted(range(len(candidates)), key=lambda n: (best.get(candidates[n][1], last), n))
    placed = {candidates[n][1]: (best.get(candidates[n][1], last), candidates[n][0]) for n in order}
    page = list(placed)[offset:need]
    if open_first is None or not page:
        return page
    opened = set(SearchDocument.objects.filter(open_first, pk__in=page).values_list("pk", flat=True))

    def order_on_page(pk: int) -> tuple:
        tier_number, key = placed[pk]
        return tier_number, local_day(key), pk not in opened

    return sorted(page, key=order_on_page)  # stable: sooner first within a day stays


def local_day(starts_key: int) -> int:
    """The calendar day (in the site's time zone) of a starts_key."""
    moment = dt.datetime.fromtimestamp(starts_key * 60, tz=dt.UTC).astimezone(timezone.get_current_timezone())
    return moment.toordinal()


def in_date_order(match: Match, *, offset: int, limit: int) -> list[int]:
    need = min(offset + limit, COUNT_CAP)
    return [pk for _key, pk in window(match)[offset:need]]


def newest(match: Match, *, offset: int, limit: int) -> list[int]:
    """Most recently published first, among the same bounded set relevance ranks: the COUNT_CAP
    soonest matches (every match when there are fewer)."""
    need = min(offset + limit, COUNT_CAP)
    candidates = [pk for _key, pk in window(match)[:COUNT_CAP]]
    ordered = SearchDocument.objects.filter(pk__in=candidates).order_by("-published_at", "-id")
    return list(ordered.values_list("pk", flat=True)[offset:need])


@dataclass
class Count:
    value: int
    exact: bool  # False: estimated from a sample, more than COUNT_CAP

    def __int__(self) -> int:
        return self.value


@dataclass
class Sample:
    """Documents that stand for all the matches: every match (fraction 1), or one sample level."""

    positions: list[Position]
    fraction: float


def window(match: Match) -> list[Position]:
    """The COUNT_CAP + 1 soonest matches, read once per search: the ranked set, the newest order
    and the date order are taken from it, and it tells whether the count is exact."""
    if "window" not in match.memo:
        match.memo["window"] = backend().walk(match, limit=COUNT_CAP + 1)
    return match.memo["window"]


def sample(match: Match) -> Sample:
    """Every match when they are at most COUNT_CAP; else the sample level that holds about
    SAMPLE_TARGET of them. A level this search read already serves when it holds at least half
    as many; else the level is guessed (`_likely_level`), and when the guess holds too few, what it
    holds tells which level to read instead."""
    if len(window(match)) <= COUNT_CAP:
        return Sample(window(match), 1.0)
    levels = match.memo.setdefault("levels", {})
    enough = [level for level, positions in levels.items() if len(positions) >= SAMPLE_TARGET // 2]
    level = min(enough) if enough else _likely_level(match)
    while True:
        positions = _sample_level(match, level)
        if level == 0 or len(positions) >= SAMPLE_TARGET // 2:
            return Sample(positions, 1 / 2**level)
        level = min(level - 1, _level_holding(max(len(positions), 1) * 2**level))


def _sample_level(match: Match, level: int) -> list[Position]:
    """Every match in sample `level`, read once per search."""
    levels = match.memo.setdefault("levels", {})
    if level not in levels:
        levels[level] = backend().walk(match.narrowed(sample_level=level), limit=None)
    return levels[level]


def _likely_level(match: Match) -> int:
    """The sample level likely to hold about SAMPLE_TARGET matches (the smallest level when
    there is nothing to tell: what it holds then tells the level, for one more walk)."""
    expected = _expected_matches(match)
    return SAMPLE_LEVELS if expected is None else _level_holding(expected)


def _expected_matches(match: Match) -> float | None:
    """How many matches there likely are, from how far into the documents (in index order) the
    full window reached: a window that reached a fifth of the way holds about a fifth of the
    matches. None without enough documents to tell."""
    background = _background(match.kind)
    if len(background) < BACKGROUND_MINIMUM:
        return None
    found = window(match)
    reached = bisect.bisect_right(background, found[-1])
    return len(found) * len(background) / max(reached, 1)


def _level_holding(expected_matches: float) -> int:
    """The sample level at which `expected_matches` leave about SAMPLE_TARGET."""
    return max(0, min(SAMPLE_LEVELS, round(math.log2(max(expected_matches / SAMPLE_TARGET, 1)))))


def _background(kind: str) -> list[Position]:
    """The documents of the smallest sample level, whatever their text, filters and dates: how
    all the documents spread along the index order. They change slowly and only a share is
    read from them, so a process keeps them for a few minutes."""
    every = Match(kind=kind, plan=Plan("", []), sample_level=SAMPLE_LEVELS)
    return recently_read(f"search.background.{kind}", BACKGROUND_SECONDS, lambda: backend().walk(every, limit=None))


def count(match: Match) -> Count:
    """Exact up to COUNT_CAP. Above it the window holds the first COUNT_CAP matches, and only the
    matches after them are estimated, from a sample level sized for those: the more of the matches
    the window holds, the smaller the sample that counts the rest as closely. A level this search
    read already (for the facets) serves when it is at least as fine."""
    found = window(match)
    if len(found) <= COUNT_CAP:
        return Count(len(found), exact=True)
    last = found[COUNT_CAP - 1]
    expected = _expected_matches(match)
    level = SAMPLE_LEVELS if expected is None else _counting_level(expected)
    while True:
        level = max((read for read in match.memo.get("levels", {}) if read <= level), default=level)
        positions = _sample_level(match, level)
        after = len(positions) - bisect.bisect_right(positions, last)
        estimate = COUNT_CAP + after * 2**level
        # Sampled at 1/2ⁿ, `after` is off by about √after · 2ⁿ. Good enough within one level of
        # the aim, as `sample` accepts half its target.
        if level == 0 or math.sqrt(after + 1) * 2**level <= math.sqrt(2 / SAMPLE_TARGET) * estimate:
            return Count(estimate, exact=True) if level == 0 else Count(max(COUNT_CAP + 1, estimate), exact=False)
        level = min(level - 1, _counting_level(COUNT_CAP + max(after, 1) * 2**level))


def _counting_level(expected_matches: float) -> int:
    """The sample level that counts the matches after the window's COUNT_CAP to within about
    1/√SAMPLE_TARGET of `expected_matches`: n sampled at a fraction f are off by about √n / f,
    so f should be at least SAMPLE_TARGET · rest / expected²."""
    rest = max(expected_matches - COUNT_CAP, 1)
    ratio = expected_matches**2 / (SAMPLE_TARGET * rest)
    return max(0, min(SAMPLE_LEVELS, round(math.log2(max(ratio, 1)))))


@dataclass
class ZeroResultHelp:
    searched: str
    shorter_query: str = ""  # the query without its rarest term, when that finds something
    spellings: list[str] = field(default_factory=list)  # close words from the index vocabulary


def zero_result_help(match: Match) -> ZeroResultHelp:
    """What to offer when `match` found nothing."""
    plan = match.plan
    help_ = ZeroResultHelp(searched=plan.text)
    if len(plan.terms) > 1:
        index = backend()
        counts = [len(index.walk(match.narrowed(plan=Plan(term.text, [term])), limit=COUNT_CAP)) for term in plan.terms]
        shorter = plan.without(min(range(len(counts)), key=counts.__getitem__))
        if index.walk(match.narrowed(plan=shorter), limit=1):
            help_.shorter_query = shorter.text
    help_.spellings = close_spellings(plan)
    return help_


def close_spellings(plan: Plan, *, limit: int = 3) -> list[str]:
    """Words of the index vocabulary close to a term, compared in folded form (as written)."""
    written: dict[str, str] = {}
    for word in VocabularyWord.objects.order_by("-documents").values_list("word", flat=True)[:VOCABULARY_LIMIT]:
        written.setdefault(fold(word), word)
    suggestions: list[str] = []
    for term in plan.terms:
        for folded in difflib.get_close_matches(term.folded, list(written), n=limit, cutoff=0.6):
            if folded != term.folded and written[folded] not in suggestions:
                suggestions.append(written[folded])
    return suggestions[:limit]
