"""Reads for the catalogue: what the public sees, what a provider and a coordinator work on."""

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from manabiya.core.audit import history_for
from manabiya.core.models import AuditEntry, Organization
from manabiya.core.selectors import can_manage_organization, coordinated_municipalities, member_organizations

from .models import (
    PUBLIC_STATUSES,
    ApplicationMethod,
    Audience,
    Category,
    LearningOpportunity,
    Session,
    Status,
)


@dataclass
class CatalogQuery:
    """What a citizen asked the catalogue for; built from GET parameters or the API."""

    q: str = ""
    municipality: str = ""  # local government code
    category: str = ""  # slug; a top-level category includes its subcategories
    audience: str = ""  # slug
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    weekdays: list[int] = field(default_factory=list)  # ISO 1..7
    times: list[str] = field(default_factory=list)  # TimeOfDay values
    fee: str = ""  # "free" | "paid"
    format: str = ""
    childcare: bool = False
    accessibility: list[str] = field(default_factory=list)  # slugs, all required
    venue: int | None = None
    provider: int | None = None
    open_now: bool = False
    sort: str = "date"  # "date" | "newest"

    def has_filters_beyond_text(self) -> bool:
        return self != CatalogQuery(q=self.q, sort=self.sort)


def normalize_query_text(text: str) -> str:
    """Fold full/half width (ＰＣ → PC, ﾖｶﾞ → ヨガ) and case so the simple filter is forgiving."""
    return unicodedata.normalize("NFKC", text).strip()


def text_filter(queryset: QuerySet[LearningOpportunity], text: str) -> QuerySet[LearningOpportunity]:
    """Keep opportunities whose text contains every word of `text`.

    The one place the keyword search happens: the Japanese search of the `search` app replaces it.
    """
    for word in normalize_query_text(text).split():
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(title_kana__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(provider__name__icontains=word)
        )
    return queryset


def public_opportunities() -> QuerySet[LearningOpportunity]:
    return LearningOpportunity.objects.filter(status__in=PUBLIC_STATUSES)


def application_open_q(now: dt.datetime) -> Q:
    return (
        ~Q(application_method=ApplicationMethod.NONE)
        & Q(status=Status.PUBLISHED)
        & (Q(application_opens_at__isnull=True) | Q(application_opens_at__lte=now))
        & (Q(application_closes_at__isnull=True) | Q(application_closes_at__gte=now))
    )


def session_not_over_q(moment: dt.datetime) -> Q:
    """Sessions not over at `moment`: ending later, or without an end and starting later.

    The one meaning of "upcoming" in the catalogue. For an opportunity, having such a session is
    the same as `last_ends_at >= moment`, since last_ends_at is its sessions' latest start or end.
    """
    return Q(ends_at__gte=moment) | Q(ends_at__isnull=True, starts_at__gte=moment)


def _local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def catalog_search(*, query: CatalogQuery, now: dt.datetime | None = None) -> QuerySet[LearningOpportunity]:
    """Public opportunities matching `query`, ready for a list page (related rows prefetched)."""
    now = now or timezone.now()
    qs = public_opportunities()
    if query.municipality:
        qs = qs.filter(municipality__code=query.municipality)
    if query.category:
        qs = qs.filter(Q(category__slug=query.category) | Q(category__parent__slug=query.category))
    if query.audience:
        qs = qs.filter(audiences__slug=query.audience)
    if query.fee == "free":
        qs = qs.filter(fee=0)
    elif query.fee == "paid":
        qs = qs.filter(fee__gt=0)
    if query.format:
        qs = qs.filter(format=query.format)
    if query.childcare:
        qs = qs.filter(childcare_offered=True)
    for slug in query.accessibility:
        qs = qs.filter(accessibility__slug=slug)
    if query.venue:
        qs = qs.filter(
            Q(venue_id=query.venue) | Exists(Session.objects.filter(opportunity=OuterRef("pk"), venue_id=query.venue))
        )
    if query.provider:
        qs = qs.filter(provider_id=query.provider)
    if query.open_now:
        qs = qs.filter(application_open_q(now))

    # One session must satisfy every date condition at once: "Tuesday mornings in May"
    # means a session on a Tuesday morning in May, not a Tuesday in April and a morning in May.
    window_start = _local_day_start(query.date_from) if query.date_from else now
    session_q = Q(opportunity=OuterRef("pk")) & session_not_over_q(window_start)
    # Implied by the session condition (see session_not_over_q); lets the index skip ended rows.
    qs = qs.filter(last_ends_at__gte=window_start)
    if query.date_to:
        session_q &= Q(starts_at__lt=_local_day_start(query.date_to + dt.timedelta(days=1)))
    if query.weekdays:
        session_q &= Q(weekday__in=query.weekdays)
    if query.times:
        session_q &= Q(time_of_day__in=query.times)
    qs = qs.filter(Exists(Session.objects.filter(session_q)))

    if query.q:
        qs = text_filter(qs, query.q)
    order = ["-published_at", "-id"] if query.sort == "newest" else ["first_starts_at", "id"]
    return with_list_relations(qs.order_by(*order), now=now)


def with_list_relations(qs: QuerySet[LearningOpportunity], *, now: dt.datetime | None = None):
    """Everything a list row shows, in a fixed number of queries whatever the row count."""
    now = now or timezone.now()
    upcoming = Session.objects.filter(session_not_over_q(now)).order_by("starts_at")
    return qs.select_related("provider", "municipality", "category", "category__parent", "venue").prefetch_related(
        "audiences", Prefetch("sessions", queryset=upcoming, to_attr="upcoming_sessions")
    )


def with_page_relations(qs: QuerySet[LearningOpportunity]) -> QuerySet[LearningOpportunity]:
    """Everything an opportunity's own page shows, in a fixed number of queries."""
    return qs.select_related(
        "provider__municipality", "municipality", "category", "category__parent", "venue", "venue__municipality"
    ).prefetch_related(
        "audiences",
        "accessibility",
        "venue__barrier_free",
        Prefetch("sessions", queryset=Session.objects.select_related("venue__municipality").order_by("starts_at")),
    )


def opportunity_visible_to(*, user, opportunity_id: int) -> LearningOpportunity | None:
    """The opportunity if `user` may see it: the public sees published and cancelled ones,
    members and coordinators their own in every state."""
    opportunity = with_page_relations(LearningOpportunity.objects.filter(pk=opportunity_id)).first()
    if opportunity is None:
        return None
    if opportunity.is_public or user_can_manage_opportunity(user=user, opportunity=opportunity):
        return opportunity
    return None


def user_can_manage_opportunity(*, user, opportunity: LearningOpportunity) -> bool:
    return can_manage_organization(user=user, organization=opportunity.provider)


def status_history(*, opportunity: LearningOpportunity) -> QuerySet[AuditEntry]:
    return history_for(opportunity).filter(action__startswith="opportunity.").exclude(action="opportunity.update")


# How each workflow step reads in a status history.
HISTORY_LABELS = {
    "opportunity.create": gettext_lazy("Created as a draft"),
    "opportunity.submit": gettext_lazy("Submitted for review"),
    "opportunity.submit.published": gettext_lazy("Submitted and published without review"),
    "opportunity.approve": gettext_lazy("Approved and published"),
    "opportunity.return": gettext_lazy("Returned for changes"),
    "opportunity.withdraw": gettext_lazy("Withdrawn"),
    "opportunity.cancel": gettext_lazy("Cancelled"),
    "opportunity.reopen": gettext_lazy("Reopened as a draft"),
    "opportunity.import": gettext_lazy("Imported from an open-data file"),
}


@dataclass(frozen=True)
class HistoryRow:
    when: dt.datetime
    label: str
    actor: object
    status: str  # the status it led to, as shown to people
    reason: str


def status_history_rows(*, opportunity: LearningOpportunity) -> list[HistoryRow]:
    """The status history as providers and coordinators read it, oldest first."""
    rows = []
    for entry in status_history(opportunity=opportunity):
        to = entry.data.get("to") or entry.data.get("status")
        key = entry.action
        if key == "opportunity.submit" and to == Status.PUBLISHED:
            key = "opportunity.submit.published"
        rows.append(
            HistoryRow(
                when=entry.created_at,
                label=HISTORY_LABELS.get(key, entry.action),
                actor=entry.actor,
                status=Status(to).label if to in Status.values else "",
                reason=entry.reason,
            )
        )
    return rows


def latest_reasons(*, opportunities: Iterable[LearningOpportunity], action: str) -> dict[int, str]:
    """The reason given the last time `action` (e.g. "return") was done to each opportunity, in one
    query; opportunities it was never done to are left out."""
    ids = [str(o.pk) for o in opportunities]
    if not ids:
        return {}
    entries = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(LearningOpportunity),
            object_id__in=ids,
            action=f"opportunity.{action}",
        )
        .order_by("created_at", "id")
        .values_list("object_id", "reason")
    )
    # Later entries overwrite earlier ones, so the newest reason wins.
    return {int(object_id): reason for object_id, reason in entries}


def latest_reason(*, opportunity: LearningOpportunity, action: str) -> str:
    return latest_reasons(opportunities=[opportunity], action=action).get(opportunity.pk, "")


def cancellation_reason(*, opportunity: LearningOpportunity) -> str:
    """What the public is told about a cancelled opportunity; "" for any other."""
    if opportunity.status != Status.CANCELLED:
        return ""
    return latest_reason(opportunity=opportunity, action="cancel")


def provider_opportunities(*, user, organization: Organization | None = None) -> QuerySet[LearningOpportunity]:
    """Every opportunity of the organizations the user is a member of, in every state."""
    orgs = member_organizations(user=user)
    if organization is not None:
        orgs = orgs.filter(pk=organization.pk)
    return (
        LearningOpportunity.objects.filter(provider__in=orgs)
        .select_related("provider", "municipality", "category")
        .order_by("-updated_at", "-id")
    )


def review_queue(*, user) -> QuerySet[LearningOpportunity]:
    """Submissions awaiting the user's review, oldest first."""
    return (
        LearningOpportunity.objects.filter(
            status=Status.SUBMITTED, municipality__in=coordinated_municipalities(user=user)
        )
        .select_related("provider", "municipality", "category")
        .order_by("status_changed_at", "id")
    )


def categories_with_counts(*, now: dt.datetime | None = None) -> list[Category]:
    """Top-level categories with the number of upcoming public opportunities under each."""
    now = now or timezone.now()
    upcoming = Q(status__in=PUBLIC_STATUSES) & Q(last_ends_at__gte=now)
    counts = dict(
        LearningOpportunity.objects.filter(upcoming, category__isnull=False)
        .values_list("category__parent_id")
        .annotate(n=Count("id"))
        .values_list("category__parent_id", "n")
    )
    direct = dict(
        LearningOpportunity.objects.filter(upcoming, category__parent__isnull=True, category__isnull=False)
        .values("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    tops = list(Category.objects.filter(parent__isnull=True).prefetch_related("children"))
    for top in tops:
        top.opportunity_count = counts.get(top.pk, 0) + direct.get(top.pk, 0)
    return tops


def audiences_with_counts(*, now: dt.datetime | None = None) -> list[Audience]:
    now = now or timezone.now()
    return list(
        Audience.objects.annotate(
            opportunity_count=Count(
                "opportunities",
                filter=Q(opportunities__status__in=PUBLIC_STATUSES, opportunities__last_ends_at__gte=now),
            )
        )
    )


def this_week(*, municipality_code: str = "", now: dt.datetime | None = None, limit: int = 12):
    """Public opportunities with a session in the next seven days."""
    now = now or timezone.now()
    week_end = timezone.localdate(now) + dt.timedelta(days=6)
    return catalog_search(query=CatalogQuery(municipality=municipality_code, date_to=week_end), now=now)[:limit]
