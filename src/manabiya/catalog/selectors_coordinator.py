"""Reads for a municipality's coordinator (生涯学習担当): the overview and the review page."""

from dataclasses import dataclass

from django.db.models import Count

from manabiya.core.models import Municipality
from manabiya.core.selectors import coordinated_municipalities

from .models import LearningOpportunity, Status
from .selectors import with_page_relations


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class MunicipalityOverview:
    municipality: Municipality
    counts: list[StatusCount]
    total: int


def status_overview(*, user) -> list[MunicipalityOverview]:
    """Per coordinated municipality, how many opportunities are in each status (two queries).

    A superuser coordinates every municipality; list only those that have opportunities.
    """
    municipalities = list(coordinated_municipalities(user=user).order_by("code"))
    grouped = (
        LearningOpportunity.objects.filter(municipality__in=[m.pk for m in municipalities])
        .values("municipality_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_municipality: dict[int, dict[str, int]] = {}
    for row in grouped:
        by_municipality.setdefault(row["municipality_id"], {})[row["status"]] = row["n"]
    overview = []
    for municipality in municipalities:
        counts = by_municipality.get(municipality.pk, {})
        if user.is_superuser and not counts:
            continue
        overview.append(
            MunicipalityOverview(
                municipality=municipality,
                counts=[StatusCount(s.value, s.label, counts.get(s.value, 0)) for s in Status],
                total=sum(counts.values()),
            )
        )
    return overview


def opportunity_municipality_id(*, opportunity_id: int) -> int | None:
    """The municipality an opportunity belongs to, or None when there is no such opportunity."""
    return LearningOpportunity.objects.filter(pk=opportunity_id).values_list("municipality_id", flat=True).first()


def opportunity_for_review(*, opportunity_id: int) -> LearningOpportunity:
    """The opportunity with everything its public page shows, in any status.

    Check that the user coordinates its municipality before calling.
    """
    return with_page_relations(LearningOpportunity.objects.all()).get(pk=opportunity_id)
