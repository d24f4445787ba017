"""Rank registered talent (instructors, volunteers) for a request or a need, and say why.

Pure: no database, no models. Callers turn a delivery-lecture request or a volunteer need into a
`Want` and each profile into a `Candidate`; `rank` scores every candidate with the weights below
and returns, for each, the factors that made its score so staff can see why someone is proposed
and overrule it. Text is compared with the search pipeline's `fold` and `analyse`, so ＰＣ finds
pc, 子ども finds 子供 and スマホ finds スマートフォン, exactly as the catalogue search does.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from manabiya.search.text import analyse, fold

CATEGORY_POINTS = 30.0
"""Expertise in one of the wanted categories: the strongest sign someone can do the job."""

PARENT_CATEGORY_POINTS = 12.0
"""A category under the same parent (大分類): related expertise, worth asking, not a sure fit."""

KEYWORD_POINTS = 10.0
"""Each wanted word the candidate's keywords and topics mention."""

KEYWORD_CAP = 25.0
"""Keywords refine the category match; capped so a long keyword list cannot outweigh it."""

AUDIENCE_POINTS = 10.0
"""Experience with the wanted audience (children, older people...): overlap counts once."""

AREA_POINTS = 10.0
"""Works in the 地区 where it happens: less travel, more likely to say yes."""

AVAILABILITY_POINTS = 15.0
"""Scaled by the share of candidate dates the stated days and times fit."""

AVAILABILITY_NONE_POINTS = -10.0
"""None of the candidate dates fit what the candidate stated: asking is likely a wasted round."""

RATING_NEUTRAL = 3.0
"""The middle of the 1..5 scale: a mean rating above it adds points, below it takes them away."""

RATING_POINTS_PER_STAR = 4.0
"""Per star away from neutral, so 5★ → +8 and 1★ → -8: past feedback nudges, never decides."""

LOAD_POINTS_PER_ENGAGEMENT = -4.0
"""Per engagement accepted in the last 12 months: don't always ask the same person."""

LOAD_CAP = -20.0
"""The most the load can take away, so a busy expert still beats someone with no fit at all."""


@dataclass(frozen=True)
class Want:
    category_ids: frozenset[int] = frozenset()  # the topic's / need's categories
    parent_category_ids: frozenset[int] = frozenset()  # their parent categories (大分類), for a near match
    keywords: tuple[str, ...] = ()  # words from the request/need (title, skills)
    audience_ids: frozenset[int] = frozenset()
    area: str = ""  # 地区 name where it happens, e.g. "田無"
    # (weekday 0=Mon..6, time of day "morning"|"afternoon"|"evening") of each candidate date
    slots: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Candidate:
    profile_id: int
    name: str
    category_ids: frozenset[int]
    parent_category_ids: frozenset[int]  # parents of the candidate's categories
    keywords: str  # free keywords + topics text the candidate may be matched on
    audience_ids: frozenset[int]
    areas: tuple[str, ...]
    weekdays: frozenset[int]  # days available; empty = not stated
    times: frozenset[str]  # times of day available; empty = not stated
    rating: float | None  # mean of past ratings 1..5, None when never rated
    ratings_count: int
    recent_engagements: int  # lectures/activities accepted in the last 12 months (load)


@dataclass(frozen=True)
class Reason:
    points: float
    text: str  # translated, human explanation, e.g. "Expertise in the topic's category (+30)"


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    reasons: tuple[Reason, ...]  # every factor that moved the score, biggest effect first


def rank(want: Want, candidates: Iterable[Candidate], *, limit: int | None = None) -> list[Ranked]:
    """Score each candidate for `want`, best first; `limit` keeps only the first ones.

    Equal scores go to the candidate with fewer recent engagements, then the lower profile id, so
    the same input always gives the same list. Every candidate is returned, however low it scores:
    filtering is the caller's choice.
    """
    ranked = [_score(want, candidate) for candidate in candidates]
    ranked.sort(key=lambda r: (-r.score, r.candidate.recent_engagements, r.candidate.profile_id))
    return ranked if limit is None else ranked[: max(limit, 0)]


def _score(want: Want, candidate: Candidate) -> Ranked:
    reasons = [
        reason
        for factor in (_category, _keywords, _audience, _area, _availability, _rating, _load)
        if (reason := factor(want, candidate)) is not None
    ]
    # Biggest effect first, whatever its sign; sorted() is stable, so ties keep the factor order.
    reasons.sort(key=lambda reason: -abs(reason.points))
    return Ranked(candidate=candidate, score=round(sum(r.points for r in reasons), 2), reasons=tuple(reasons))


def _points(value: float) -> str:
    """A score change as shown in a reason: +30, -8, +7.5, 0."""
    return "0" if value == 0 else f"{value:+g}"


def _reason(points: float, text: str) -> Reason:
    return Reason(points=round(points, 2), text=text)


def _category(want: Want, candidate: Candidate) -> Reason | None:
    if want.category_ids & candidate.category_ids:
        return _reason(
            CATEGORY_POINTS,
            _("Expertise in the topic's category (%(points)s)") % {"points": _points(CATEGORY_POINTS)},
        )
    # Near: siblings under one parent, or one side filed under the other's parent (大分類) itself.
    wanted = want.category_ids | want.parent_category_ids
    offered = candidate.category_ids | candidate.parent_category_ids
    if want.parent_category_ids & offered or wanted & candidate.parent_category_ids:
        return _reason(
            PARENT_CATEGORY_POINTS,
            _("Expertise in a related category (%(points)s)") % {"points": _points(PARENT_CATEGORY_POINTS)},
        )
    return None


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)


@lru_cache(maxsize=4096)
def _analysed(text: str) -> tuple[str, frozenset[int], tuple[str, ...]]:
    """Sudachi's normalised form, synonym groups and content words of `text`; Sudachi is slow, texts
    repeat."""
    analysis = analyse(text)
    return analysis.normal, frozenset(analysis.groups), tuple(analysis.words)


def keyword_matches(keyword: str, text: str) -> bool:
    """Whether `keyword` is found in `text` as written, in normalised form, or word by word, each of
    its content words as written, normalised or as a synonym. Word by word: a keyword of several
    words is not found because one of them has a synonym in the text (秘密資格 is not 資格)."""
    folded = _folded(keyword)
    if not folded:
        return False
    if folded in _folded(text):
        return True
    normal, _groups, words = _analysed(keyword)
    text_normal, text_groups, _words = _analysed(text)
    if normal and normal in text_normal:
        return True
    return bool(words) and all(_word_found(word, text, text_normal, text_groups) for word in words)


def _word_found(word: str, text: str, text_normal: str, text_groups: frozenset[int]) -> bool:
    folded = _folded(word)
    if folded and folded in _folded(text):
        return True
    normal, groups, _words = _analysed(word)
    return bool(normal and normal in text_normal) or bool(groups & text_groups)


def _keywords(want: Want, candidate: Candidate) -> Reason | None:
    text = candidate.keywords or ""
    if not text.strip():
        return None
    matched: list[str] = []
    seen: set[str] = set()
    for keyword in want.keywords:
        folded = _folded(keyword)
        if not folded or folded in seen:
            continue
        seen.add(folded)
        if keyword_matches(keyword, text):
            matched.append(keyword.strip())
    if not matched:
        return None
    points = min(KEYWORD_POINTS * len(matched), KEYWORD_CAP)
    return _reason(
        points,
        _("Keywords match: %(keywords)s (%(points)s)") % {"keywords": ", ".join(matched), "points": _points(points)},
    )


def _audience(want: Want, candidate: Candidate) -> Reason | None:
    if not want.audience_ids & candidate.audience_ids:
        return None
    return _reason(
        AUDIENCE_POINTS, _("Experience with this audience (%(points)s)") % {"points": _points(AUDIENCE_POINTS)}
    )


def _area(want: Want, candidate: Candidate) -> Reason | None:
    wanted = _folded(want.area)
    if not wanted:
        return None
    for area in candidate.areas:
        offered = _folded(area)
        # An empty name is contained in every other one; it says nothing.
        if offered and (wanted in offered or offered in wanted):
            return _reason(
                AREA_POINTS,
                _("Works in %(area)s (%(points)s)") % {"area": want.area.strip(), "points": _points(AREA_POINTS)},
            )
    return None


def _availability(want: Want, candidate: Candidate) -> Reason | None:
    if not want.slots:
        return None
    if not candidate.weekdays and not candidate.times:
        return _reason(0, _("Availability not stated (%(points)s)") % {"points": _points(0)})
    fitting = sum(
        1
        for weekday, time in want.slots
        if (not candidate.weekdays or weekday in candidate.weekdays)
        and (not candidate.times or time in candidate.times)
    )
    if not fitting:
        return _reason(
            AVAILABILITY_NONE_POINTS,
            _("Available on none of the candidate dates (%(points)s)") % {"points": _points(AVAILABILITY_NONE_POINTS)},
        )
    points = round(AVAILABILITY_POINTS * fitting / len(want.slots), 2)
    return _reason(
        points,
        _("Available on %(fitting)d of %(total)d candidate dates (%(points)s)")
        % {"fitting": fitting, "total": len(want.slots), "points": _points(points)},
    )


def _rating(want: Want, candidate: Candidate) -> Reason | None:
    if candidate.rating is None:
        return None
    # Listed even at exactly neutral (0 points): staff want to know the person has been rated.
    points = round((candidate.rating - RATING_NEUTRAL) * RATING_POINTS_PER_STAR, 2)
    text = ngettext(
        "Rated %(mean).1f on average over %(count)d rating (%(points)s)",
        "Rated %(mean).1f on average over %(count)d ratings (%(points)s)",
        candidate.ratings_count,
    ) % {"mean": candidate.rating, "count": candidate.ratings_count, "points": _points(points)}
    return _reason(points, text)


def _load(want: Want, candidate: Candidate) -> Reason | None:
    count = candidate.recent_engagements
    if count <= 0:
        return None
    points = max(LOAD_POINTS_PER_ENGAGEMENT * count, LOAD_CAP)
    text = ngettext(
        "Already engaged %(count)d time in the last 12 months (%(points)s)",
        "Already engaged %(count)d times in the last 12 months (%(points)s)",
        count,
    ) % {"count": count, "points": _points(points)}
    return _reason(points, text)
