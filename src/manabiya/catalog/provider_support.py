"""Reads the provider pages need beyond catalog.selectors; candidates to move there."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When

from manabiya.core.models import AuditEntry

from .models import LearningOpportunity, Session, Status

# The dashboard shows what needs the provider's attention first.
DASHBOARD_STATUS_ORDER: tuple[str, ...] = (
    Status.RETURNED,
    Status.DRAFT,
    Status.SUBMITTED,
    Status.PUBLISHED,
    Status.CANCELLED,
    Status.WITHDRAWN,
)


def dashboard_rows(opportunities: QuerySet[LearningOpportunity], *, status: str = "") -> QuerySet[LearningOpportunity]:
    """`opportunities` (from selectors.provider_opportunities) for the dashboard: narrowed to
    `status` when given, grouped by status in DASHBOARD_STATUS_ORDER, most recently changed first,
    each row annotated with `session_count`."""
    if status:
        opportunities = opportunities.filter(status=status)
    status_rank = Case(
        *(When(status=value, then=Value(rank)) for rank, value in enumerate(DASHBOARD_STATUS_ORDER)),
        default=Value(len(DASHBOARD_STATUS_ORDER)),
        output_field=IntegerField(),
    )
    return (
        opportunities.select_related("venue")
        .annotate(session_count=Count("sessions"), status_rank=status_rank)
        .order_by("status_rank", "-updated_at", "-id")
    )


def status_counts(opportunities: QuerySet[LearningOpportunity]) -> dict[str, int]:
    """How many of `opportunities` are in each status, in one query."""
    rows = opportunities.order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


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


def opportunity_for_editing(*, pk: int) -> LearningOpportunity | None:
    """One opportunity with everything its edit page shows, whatever its status."""
    return (
        LearningOpportunity.objects.select_related(
            "provider", "provider__municipality", "municipality", "category", "venue"
        )
        .prefetch_related(
            "audiences",
            "accessibility",
            Prefetch("sessions", queryset=Session.objects.select_related("venue").order_by("starts_at", "id")),
        )
        .filter(pk=pk)
        .first()
    )
