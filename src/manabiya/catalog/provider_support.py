"""Reads only the provider dashboard needs: its grouping by status and the counts per status."""

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from .models import LearningOpportunity, Status

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
