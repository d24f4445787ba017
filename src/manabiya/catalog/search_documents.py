"""How an opportunity enters the search index: the text people search and the facts the
catalogue filters, counts and sorts by."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import DateTimeField, F
from django.utils import timezone

from manabiya.core import sql
from manabiya.core.models import Organization
from manabiya.search.documents import IndexText, tag
from manabiya.search.models import SearchDocument
from manabiya.search.registry import IndexedKind

from .models import (
    PUBLIC_STATUSES,
    ApplicationMethod,
    Audience,
    Category,
    LearningOpportunity,
    Session,
    Status,
    TimeOfDay,
    Venue,
)

KIND = "opportunity"
TIME_ORDER = [TimeOfDay.MORNING, TimeOfDay.AFTERNOON, TimeOfDay.EVENING]


def slot_bit(weekday: int, time_of_day: str) -> int:
    """The slot_mask bit of an ISO weekday (1-7) at 午前/午後/夜間."""
    return 1 << slot_index(weekday, time_of_day)


def slot_index(weekday: int, time_of_day: str) -> int:
    return (weekday - 1) * len(TIME_ORDER) + TIME_ORDER.index(time_of_day)


def searchable_ids(municipality_id: int | None) -> Iterable[int]:
    """Public opportunities not over yet (see `search.services.prune_ended`), sooner first: the
    order searches read the index in, so a rebuild lays documents out in it (see `IndexedKind`)."""
    qs = LearningOpportunity.objects.filter(status__in=PUBLIC_STATUSES, last_ends_at__gte=timezone.now())
    if municipality_id is not None:
        qs = qs.filter(municipality_id=municipality_id)
    order = [F("first_starts_at").asc(nulls_first=True), "id"]
    return qs.order_by(*order).values_list("id", flat=True).iterator(chunk_size=10000)


@dataclass
class _Row:
    """One opportunity as the index needs it, read with plain value queries: a rebuild reads a
    million of them, and model instances with prefetches cost more than the rest of indexing."""

    values: dict
    audiences: dict[int, str] = field(default_factory=dict)
    supports: list[int] = field(default_factory=list)
    slots: set[int] = field(default_factory=set)
    venues: dict[int, str] = field(default_factory=dict)


OPPORTUNITY_VALUES = (
    "id", "municipality_id", "provider_id", "title", "title_kana", "title_en", "summary", "description",
    "category_id", "format", "venue_id", "fee", "childcare_offered", "application_method", "status",
    "application_opens_at", "application_closes_at", "first_starts_at", "last_ends_at", "published_at",
    "provider__name", "venue__name", "category__name", "category__parent_id", "category__parent__name",
)  # fmt: skip


def _links(opportunity_ids: list[int]) -> list[tuple]:
    """(what, opportunity, linked id, name, weekday, time of day) for the opportunities'
    audiences, supports and sessions (with their venues). One statement of plain SQL: a single
    opportunity's reindex runs on every edit, and three queries built through the ORM took
    longer to compile and send than to run."""
    audience_link = LearningOpportunity.audiences.through._meta.db_table
    support_link = LearningOpportunity.accessibility.through._meta.db_table
    audience, session, venue = Audience._meta.db_table, Session._meta.db_table, Venue._meta.db_table
    of_link, link_ids = sql.one_of("link.learningopportunity_id", opportunity_ids)
    of_session, session_ids = sql.one_of("s.opportunity_id", opportunity_ids)
    # Sessions come first: their columns give the NULLs of the other parts their types.
    return sql.rows(
        f"SELECT 'session', s.opportunity_id, s.venue_id, v.name, s.weekday, s.time_of_day "  # noqa: S608 (names from the models)
        f"FROM {session} s LEFT JOIN {venue} v ON v.id = s.venue_id WHERE {of_session} "
        f"UNION ALL SELECT 'audience', link.learningopportunity_id, link.audience_id, a.name, NULL, NULL "
        f"FROM {audience_link} link JOIN {audience} a ON a.id = link.audience_id WHERE {of_link} "
        f"UNION ALL SELECT 'support', link.learningopportunity_id, link.accessibilityfeature_id, NULL, NULL, NULL "
        f"FROM {support_link} link WHERE {of_link}",
        [*session_ids, *link_ids, *link_ids],
    )


RELATED_VALUES = {
    "provider__name": "p.name",
    "venue__name": "v.name",
    "category__name": "c.name",
    "category__parent_id": "c.parent_id",
    "category__parent__name": "cp.name",
}
DATETIME_VALUES = {
    field.attname
    for field in LearningOpportunity._meta.concrete_fields
    if isinstance(field, DateTimeField) and field.attname in OPPORTUNITY_VALUES
}


def _opportunity_values(object_ids: list[int]) -> list[dict]:
    """OPPORTUNITY_VALUES of the public opportunities not over yet among these, in plain SQL for
    the reason `_links` gives (compiling the ORM's query took 0.6 ms of a 1.6 ms read)."""
    opportunity, category = LearningOpportunity._meta.db_table, Category._meta.db_table
    organization, venue = Organization._meta.db_table, Venue._meta.db_table
    columns = [RELATED_VALUES.get(name, f"o.{name}") for name in OPPORTUNITY_VALUES]
    of_ids, ids = sql.one_of("o.id", object_ids)
    of_statuses, statuses = sql.one_of("o.status", list(PUBLIC_STATUSES))
    rows = sql.rows(
        f"SELECT {', '.join(columns)} FROM {opportunity} o "  # noqa: S608 (names from the models)
        f"JOIN {organization} p ON p.id = o.provider_id LEFT JOIN {venue} v ON v.id = o.venue_id "
        f"LEFT JOIN {category} c ON c.id = o.category_id LEFT JOIN {category} cp ON cp.id = c.parent_id "
        f"WHERE {of_ids} AND {of_statuses} AND o.last_ends_at >= %s",
        [*ids, *statuses, connection.ops.adapt_datetimefield_value(timezone.now())],
    )
    found = [dict(zip(OPPORTUNITY_VALUES, row, strict=True)) for row in rows]
    for values in found:
        # SQLite hands stored datetimes back naive, in the connection's time zone (UTC).
        for name in DATETIME_VALUES:
            if values[name] is not None and timezone.is_naive(values[name]):
                values[name] = timezone.make_aware(values[name], connection.timezone)
    return found


def _rows(object_ids: list[int]) -> list[_Row]:
    rows = {values["id"]: _Row(values) for values in _opportunity_values(object_ids)}
    if not rows:
        return []
    for what, opportunity_id, linked_id, name, weekday, time_of_day in _links(list(rows)):
        row = rows[opportunity_id]
        if what == "audience":
            row.audiences[linked_id] = name
        elif what == "support":
            row.supports.append(linked_id)
        else:
            row.slots.add(slot_index(weekday, time_of_day))
            if linked_id:
                row.venues[linked_id] = name
    return [rows[object_id] for object_id in object_ids if object_id in rows]  # in the order asked


def _fields(row: _Row) -> dict:
    v = row.values
    flags = 0
    if v["fee"] == 0:
        flags |= SearchDocument.Flag.FREE
    if v["childcare_offered"]:
        flags |= SearchDocument.Flag.CHILDCARE
    if v["application_method"] != ApplicationMethod.NONE and v["status"] == Status.PUBLISHED:
        flags |= SearchDocument.Flag.TAKES_APPLICATIONS
    if v["status"] == Status.CANCELLED:
        flags |= SearchDocument.Flag.CANCELLED
    return {
        "municipality_id": v["municipality_id"],
        "provider_id": v["provider_id"],
        "category_id": v["category_id"],
        "top_category_id": v["category__parent_id"] or v["category_id"],
        "slot_mask": sum(1 << slot for slot in row.slots),
        "flags": flags,
        "format": v["format"],
        "applications_open_from": v["application_opens_at"],
        "applications_open_until": v["application_closes_at"],
        "starts_at": v["first_starts_at"],
        "ends_at": v["last_ends_at"],
        "published_at": v["published_at"],
    }


def _tags(row: _Row, fields: dict) -> list[str]:
    """The filters' values as index tags (what `selectors_search._match` asks for)."""
    v = row.values
    tags = [tag("m", v["municipality_id"]), tag("p", v["provider_id"]), tag("f", v["format"])]
    if v["category_id"]:
        tags += [tag("c", v["category_id"]), tag("t", fields["top_category_id"])]
    tags += [tag("a", pk) for pk in row.audiences]
    tags += [tag("x", pk) for pk in row.supports]
    tags += [tag("s", slot) for slot in sorted(row.slots)]
    tags += [tag("v", pk) for pk in sorted({v["venue_id"], *row.venues} - {None})]
    tags.append(tag("free") if v["fee"] == 0 else tag("paid"))
    if v["childcare_offered"]:
        tags.append(tag("cc"))
    if fields["flags"] & SearchDocument.Flag.TAKES_APPLICATIONS:
        tags.append(tag("apply"))
    return tags


def _text(row: _Row, fields: dict) -> IndexText:
    v = row.values
    places = sorted({v["venue__name"], *row.venues.values()} - {None})
    return IndexText(
        title=v["title"],
        title_extra=[v["title_kana"], v["title_en"]],
        summary=v["summary"],
        body=[
            v["description"],
            v["provider__name"],
            *places,
            v["category__name"] or "",
            v["category__parent__name"] or "",
            *row.audiences.values(),
        ],
        tags=_tags(row, fields),
    )


def build(object_ids: list[int]) -> Iterator[tuple[int, dict, IndexText]]:
    for row in _rows(object_ids):
        fields = _fields(row)
        yield row.values["id"], fields, _text(row, fields)


OPPORTUNITIES = IndexedKind(name=KIND, searchable_ids=searchable_ids, build=build)


def reindex(opportunity_ids: Iterable[int]) -> None:
    """Bring these opportunities' documents up to date, inside the caller's transaction."""
    from manabiya.search.services import index_objects

    index_objects(kind=KIND, object_ids=list(opportunity_ids))
