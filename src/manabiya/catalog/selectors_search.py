"""The public catalogue's search: text through the `search` app's index, filters, facet counts
and sort orders over its documents, and help when nothing is found."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db.models import Count, F, Q, QuerySet
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from manabiya.core.models import Municipality
from manabiya.search import selectors as search
from manabiya.search.backends.base import Match
from manabiya.search.documents import tag
from manabiya.search.models import SearchDocument
from manabiya.search.query import Plan
from manabiya.search.text import fold

from .models import AccessibilityFeature, Audience, Category, LearningOpportunity, Session
from .search_documents import KIND, TIME_ORDER, slot_index
from .selectors import CatalogQuery, session_not_over_q

Flag = SearchDocument.Flag


def _has_bits(column: str, bits: int) -> GreaterThan:
    return GreaterThan(F(column).bitand(bits), 0)


def applications_open(now: dt.datetime) -> Q:
    return (
        Q(_has_bits("flags", Flag.TAKES_APPLICATIONS))
        & (Q(applications_open_from__isnull=True) | Q(applications_open_from__lte=now))
        & (Q(applications_open_until__isnull=True) | Q(applications_open_until__gte=now))
    )


def _local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class Scope:
    """What the filters resolved to; `None` for a filter that names nothing known."""

    municipality_id: int | None = None
    category: Category | None = None
    audience_pk: int | None = None
    accessibility_pks: list[int] = field(default_factory=list)
    unknown: bool = False  # a filter named something that does not exist: nothing matches


def _resolve(query: CatalogQuery) -> Scope:
    scope = Scope()
    if query.municipality:
        scope.municipality_id = (
            Municipality.objects.filter(code=query.municipality).values_list("pk", flat=True).first()
        )
        scope.unknown |= scope.municipality_id is None
    if query.category:
        scope.category = Category.objects.filter(slug=query.category).first()
        scope.unknown |= scope.category is None
    if query.audience:
        scope.audience_pk = Audience.objects.filter(slug=query.audience).values_list("pk", flat=True).first()
        scope.unknown |= scope.audience_pk is None
    if query.accessibility:
        pks = list(AccessibilityFeature.objects.filter(slug__in=query.accessibility).values_list("pk", flat=True))
        scope.unknown |= len(pks) != len(set(query.accessibility))
        scope.accessibility_pks = pks
    return scope


def match_for(query: CatalogQuery, scope: Scope, plan: Plan, now: dt.datetime, *, skip: str = "") -> Match:
    """The index question for `query`: its filters as tags, what tags cannot say as conditions
    on the documents (and `skip`: a filter left out, for its own facet)."""
    tags: list[list[str]] = []
    if scope.unknown:
        tags.append([tag("none")])  # a tag no document has
    if scope.municipality_id and skip != "municipality":
        tags.append([tag("m", scope.municipality_id)])
    if scope.category and skip != "category":
        tags.append([tag("c" if scope.category.parent_id else "t", scope.category.pk)])
    if scope.audience_pk is not None:
        tags.append([tag("a", scope.audience_pk)])
    tags += [[tag("x", pk)] for pk in scope.accessibility_pks]
    if query.fee in ("free", "paid"):
        tags.append([tag(query.fee)])
    if query.format:
        tags.append([tag("f", query.format)])
    if query.childcare:
        tags.append([tag("cc")])
    if query.provider:
        tags.append([tag("p", query.provider)])
    if query.venue:
        tags.append([tag("v", query.venue)])
    window_start = _local_day_start(query.date_from) if query.date_from else now
    exact = Q(ends_at__gte=window_start)
    if query.open_now:
        tags.append([tag("apply")])
        exact &= applications_open(now)
    if query.date_from or query.date_to:
        # One session must satisfy every date condition at once: "Tuesday mornings in May" means
        # a session on a Tuesday morning in May. Only dates need the sessions themselves.
        sessions = Session.objects.filter(session_not_over_q(window_start))
        if query.date_to:
            sessions = sessions.filter(starts_at__lt=_local_day_start(query.date_to + dt.timedelta(days=1)))
        if query.weekdays:
            sessions = sessions.filter(weekday__in=query.weekdays)
        if query.times:
            sessions = sessions.filter(time_of_day__in=query.times)
        exact &= Q(object_id__in=sessions.values("opportunity_id"))
    elif query.weekdays or query.times:
        tags.append(
            [
                tag("s", slot_index(weekday, time))
                for weekday in (query.weekdays or range(1, 8))
                for time in (query.times or TIME_ORDER)
            ]
        )
    return Match(kind=KIND, plan=plan, tags=tags, exact=exact)


class OpportunityResults:
    """Search results a Paginator can page through: slices ask the index for just that page, and
    only the page's opportunities are loaded, in order, with what a list row shows. The count is
    exact up to COUNT_CAP and estimated above it; pages stop at COUNT_CAP."""

    def __init__(self, match: Match, sort: str, fetch: Callable[[QuerySet], QuerySet], open_first: Q | None = None):
        self.match = match
        self.sort = sort
        self.fetch = fetch
        self.open_first = open_first
        self._total: search.Count | None = None

    @property
    def total(self) -> search.Count:
        if self._total is None:
            self._total = search.count(self.match)
        return self._total

    def count(self) -> int:
        return min(self.total.value, search.COUNT_CAP)

    def __len__(self) -> int:
        return self.count()

    def exists(self) -> bool:
        return bool(self.document_ids(0, 1))

    def document_ids(self, offset: int, limit: int) -> list[int]:
        if self.sort == "newest":
            return search.newest(self.match, offset=offset, limit=limit)
        if self.sort == "date" or self.match.plan.is_empty:
            return search.in_date_order(self.match, offset=offset, limit=limit)
        return search.ranked(self.match, offset=offset, limit=limit, open_first=self.open_first)

    def object_ids(self, key: slice | None = None) -> list[int]:
        start = (key.start or 0) if key else 0
        stop = key.stop if key and key.stop is not None else search.COUNT_CAP
        document_ids = self.document_ids(start, max(stop - start, 0))
        known = self.match.objects
        missing = [pk for pk in document_ids if pk not in known]
        if missing:  # the newest order reads documents without the index's walk
            known.update(SearchDocument.objects.filter(pk__in=missing).values_list("pk", "object_id"))
        return [known[pk] for pk in document_ids if pk in known]

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        ids = self.object_ids(key)
        by_id = {o.pk: o for o in self.fetch(LearningOpportunity.objects.filter(pk__in=ids))}
        return [by_id[pk] for pk in ids if pk in by_id]

    def __iter__(self):
        return iter(self[:])


@dataclass
class CatalogSearch:
    results: OpportunityResults
    plan: Plan
    query: CatalogQuery
    scope: Scope
    now: dt.datetime


def run_search(
    *, query: CatalogQuery, now: dt.datetime | None = None, fetch: Callable[[QuerySet], QuerySet]
) -> CatalogSearch:
    now = now or timezone.now()
    plan = search.plan_for(query.q)
    scope = _resolve(query)
    match = match_for(query, scope, plan, now)
    return CatalogSearch(
        results=OpportunityResults(match, query.effective_sort, fetch, open_first=applications_open(now)),
        plan=plan,
        query=query,
        scope=scope,
        now=now,
    )


@dataclass
class NothingFound:
    """Help for a search that found nothing: what was searched and where to go instead."""

    searched: str
    shorter_query: str = ""
    spellings: list[str] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)


RELATED_CATEGORIES = 4


def nothing_found_help(found: CatalogSearch) -> NothingFound:
    match = found.results.match
    help_ = search.zero_result_help(match)
    categories = matching_categories(found.plan, every_word=False, limit=RELATED_CATEGORIES)
    if len(categories) < RELATED_CATEGORIES:
        # Where the words are found when the filters are dropped, most results first.
        words = search.plan_for(help_.shorter_query) if help_.shorter_query else found.plan
        anywhere = Match(kind=KIND, plan=words, exact=Q(ends_at__gte=found.now))
        drawn = search.sample(anywhere)
        top = (
            SearchDocument.objects.filter(pk__in=[pk for _key, pk in drawn.positions])
            .exclude(top_category_id=None)
            .order_by()
            .values_list("top_category_id")
            .annotate(n=Count("id"))
            .order_by("-n")[:RELATED_CATEGORIES]
        )
        by_pk = Category.objects.in_bulk([pk for pk, _n in top])
        categories += [by_pk[pk] for pk, _n in top if by_pk[pk] not in categories]
    return NothingFound(
        searched=found.plan.text,
        shorter_query=help_.shorter_query,
        spellings=help_.spellings,
        categories=categories[:RELATED_CATEGORIES],
    )


def matching_categories(plan: Plan, *, every_word: bool = True, limit: int) -> list[Category]:
    """Topics whose name, in either language, holds every word typed (スマホ finds ICT・スマホ),
    or with `every_word` off, shares a word with the query either way round (related topics)."""
    if plan.is_empty:
        return []
    found = []
    for category in Category.objects.select_related("parent").order_by("parent__order", "parent_id", "order"):
        names = [fold(name) for name in (category.name, category.name_en) if name]

        def holds(term, names=names) -> bool:
            return any(term.folded in name or (not every_word and name in term.folded) for name in names)

        if (all if every_word else any)(holds(term) for term in plan.terms):
            found.append(category)
    return found[:limit]


SUGGESTIONS = 8
SUGGESTED_TOPICS = 2


@dataclass
class Suggestions:
    opportunities: list[LearningOpportunity]
    categories: list[Category]
    total: int  # every result of the search, not only those suggested

    @property
    def shown(self) -> int:
        return len(self.categories) + len(self.opportunities)


def search_suggestions(query: CatalogQuery, *, limit: int = SUGGESTIONS) -> Suggestions:
    """What to offer while a keyword is typed: matching topics, then the titles the search ranks
    first, `limit` in all; nothing for a keyword without a searchable character."""
    found = run_search(query=replace(query, sort="relevance"), fetch=lambda qs: qs.only("pk", "title", "status"))
    if found.plan.is_empty:
        return Suggestions([], [], 0)
    categories = matching_categories(found.plan, limit=min(SUGGESTED_TOPICS, max(limit - 1, 0)))
    return Suggestions(found.results[: limit - len(categories)], categories, found.results.count())
