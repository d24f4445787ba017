"""Facet counts of a catalogue search: for each filter, how many results each value would give.

They are counted over the search's sample (every result up to the cap, else one sample level,
scaled up), in Python over a few plain rows per document: with a thousand or more ids, building
the queries through the ORM would cost more than the counting.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connection

from manabiya.core.models import Municipality
from manabiya.core.sql import one_of
from manabiya.search import selectors as search
from manabiya.search.models import SearchDocument

from .models import AccessibilityFeature, Audience, Category, Format, LearningOpportunity
from .search_documents import TIME_ORDER, slot_bit
from .selectors_search import CatalogSearch, match_for

Flag = SearchDocument.Flag
WEEKDAY_BITS = {weekday: sum(slot_bit(weekday, time) for time in TIME_ORDER) for weekday in range(1, 8)}
TIME_BITS = {time: sum(slot_bit(weekday, time) for weekday in range(1, 8)) for time in TIME_ORDER}


@dataclass
class FacetCounts:
    """`counts[field][value]`, keyed like the filter form; `exact` False when the results were too
    many to count one by one and the figures are estimates from a sample."""

    counts: dict[str, dict[str, int]]
    exact: bool


def _document_rows(document_ids: list[int], now) -> list[tuple]:
    """(municipality, category, top category, slot mask, flags, format, applications open now)."""
    if not document_ids:
        return []
    moment = connection.ops.adapt_datetimefield_value(now)
    open_now = (
        f"CASE WHEN (flags & {Flag.TAKES_APPLICATIONS}) <> 0"
        " AND (applications_open_from IS NULL OR applications_open_from <= %s)"
        " AND (applications_open_until IS NULL OR applications_open_until >= %s) THEN 1 ELSE 0 END"
    )
    condition, ids = one_of("id", document_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT municipality_id, category_id, top_category_id, slot_mask, flags, format, "  # noqa: S608
            f"{open_now} FROM search_document WHERE {condition}",
            [moment, moment, *ids],
        )
        return cursor.fetchall()


def _link_counts(relation: str, target_column: str, opportunity_ids: list[int]) -> Counter:
    if not opportunity_ids:
        return Counter()
    table = getattr(LearningOpportunity, relation).through._meta.db_table
    condition, ids = one_of("learningopportunity_id", opportunity_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {target_column}, COUNT(*) FROM {table} "  # noqa: S608 (names from the models)
            f"WHERE {condition} GROUP BY {target_column}",
            ids,
        )
        return Counter(dict(cursor.fetchall()))


def facet_counts(found: CatalogSearch) -> FacetCounts:
    """The counts are over the current results, so a value's count is what choosing it leaves;
    municipality and category count as if their own choice were not made, so switching to another
    stays one click away."""
    match = found.results.match
    results = search.sample(match)
    exact = results.fraction == 1.0

    def scaled(counter: Counter, fraction: float) -> dict:
        return {key: round(n / fraction) for key, n in counter.items()}

    ids = [pk for _key, pk in results.positions]
    rows = _document_rows(ids, found.now)
    weekdays, times, formats, flags = Counter(), Counter(), Counter(), Counter()
    for _m, _c, _t, slots, flag, form, open_now in rows:
        weekdays.update(str(w) for w, bits in WEEKDAY_BITS.items() if slots & bits)
        times.update(t for t, bits in TIME_BITS.items() if slots & bits)
        formats[form] += 1
        flags["free"] += bool(flag & Flag.FREE)
        flags["childcare"] += bool(flag & Flag.CHILDCARE)
        flags["open_now"] += bool(open_now)
    # Scaled to the search's own count, so that a value every sampled result has shows that count.
    fraction = results.fraction if exact else len(results.positions) / search.count(match).value
    facets: dict[str, dict[str, int]] = {
        "weekday": {str(w): 0 for w in range(1, 8)} | scaled(weekdays, fraction),
        "time": dict.fromkeys(TIME_ORDER, 0) | scaled(times, fraction),
        "format": dict.fromkeys(Format.values, 0) | scaled(formats, fraction),
        "fee": {"free": round(flags["free"] / fraction), "paid": round((len(rows) - flags["free"]) / fraction)},
        "childcare": {"on": round(flags["childcare"] / fraction)},
        "open_now": {"on": round(flags["open_now"] / fraction)},
    }
    # Life stages and support are counted on the catalogue's link tables, for the sample's
    # opportunities: any number of them, whatever their primary keys.
    opportunity_ids = [match.objects[pk] for pk in ids if pk in match.objects]
    audiences = scaled(_link_counts("audiences", "audience_id", opportunity_ids), fraction)
    facets["audience"] = {slug: audiences.get(pk, 0) for pk, slug in Audience.objects.values_list("pk", "slug")}
    supports = scaled(_link_counts("accessibility", "accessibilityfeature_id", opportunity_ids), fraction)
    facets["accessibility"] = {
        slug: supports.get(pk, 0)
        for pk, slug in AccessibilityFeature.objects.filter(scope=AccessibilityFeature.Scope.OPPORTUNITY).values_list(
            "pk", "slug"
        )
    }

    def without(skip: str, skipped_is_set: bool) -> tuple[list[tuple], float]:
        """Rows of the sample with one filter left out; the same rows when it is not set."""
        nonlocal exact
        if not skipped_is_set:
            return rows, fraction
        drawn = search.sample(match_for(found.query, found.scope, found.plan, found.now, skip=skip))
        exact &= drawn.fraction == 1.0
        return _document_rows([pk for _key, pk in drawn.positions], found.now), drawn.fraction

    other_places, place_fraction = without("municipality", bool(found.scope.municipality_id))
    by_municipality = scaled(Counter(row[0] for row in other_places), place_fraction)
    facets["municipality"] = {
        code: by_municipality[pk]
        for pk, code in Municipality.objects.filter(pk__in=list(by_municipality)).values_list("pk", "code")
    }
    other_topics, topic_fraction = without("category", found.scope.category is not None)
    by_subcategory = scaled(Counter(row[1] for row in other_topics), topic_fraction)
    by_category = scaled(Counter(row[2] for row in other_topics), topic_fraction)
    facets["category"] = {
        slug: (by_subcategory if parent_id else by_category).get(pk, 0)
        for pk, slug, parent_id in Category.objects.values_list("pk", "slug", "parent_id")
    }
    return FacetCounts(facets, exact)
