"""Reads for the catalogue: what the public sees, what a provider and a coordinator work on."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
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
    sort: str = ""  # "relevance" | "date" | "newest"; empty: relevance with keywords, else date

    def has_filters_beyond_text(self) -> bool:
        return self != CatalogQuery(q=self.q, sort=self.sort)

    @property
    def effective_sort(self) -> str:
        if self.sort in ("date", "newest") or (self.sort == "relevance" and self.q.strip()):
            return self.sort
        return "relevance" if self.q.strip() else "date"


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


def catalog_search(*, query: CatalogQuery, now: dt.datetime | None = None):
    """Public opportunities matching `query`, in its order, ready for a list page (a sliceable,
    countable result that loads only the rows a page shows)."""
    # Imported here: the search selectors build on this module's definitions.
    from .selectors_search import run_search

    now = now or timezone.now()
    return run_search(query=query, now=now, fetch=lambda qs: with_list_relations(qs, now=now)).results


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


def opportunity_visible_to(*, user, opportunity_id: int, for_page: bool = True) -> LearningOpportunity | None:
    """The opportunity if `user` may see it: the public sees published and cancelled ones,
    members and coordinators their own in every state. `for_page=False` loads only what deciding
    that needs, for a view that does not show the opportunity's page (an application's POST)."""
    opportunities = LearningOpportunity.objects.filter(pk=opportunity_id)
    if for_page:
        opportunities = with_page_relations(opportunities)
    else:
        opportunities = opportunities.select_related("provider", "municipality")
    opportunity = opportunities.first()
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
