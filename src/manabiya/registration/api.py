"""Read API of the applications: an opportunity's availability, for catalogue pages and apps."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from manabiya.catalog.models import PUBLIC_STATUSES, LearningOpportunity
from manabiya.core.api import ErrorOut, Id

from . import selectors

router = Router(tags=["applications"])


class AvailabilityOut(Schema):
    opportunity_id: int
    method: str
    state: str
    label: str
    capacity: int | None
    seats_taken: int
    seats_left: int | None
    waiting: int
    lottery_entries: int
    childcare_capacity: int | None
    childcare_left: int | None
    applications_close_at: dt.datetime | None
    lottery_drawn: bool


@router.get(
    "/opportunities/{opportunity_id}/availability",
    response={200: AvailabilityOut, 404: ErrorOut},
    summary="Remaining places, waiting list and lottery state of an opportunity",
)
def availability(request, opportunity_id: Id):
    """A published or cancelled opportunity's places; drafts and opportunities under review are not found."""
    opportunity = get_object_or_404(LearningOpportunity, pk=opportunity_id, status__in=PUBLIC_STATUSES)
    a = selectors.availability(opportunity=opportunity)
    return AvailabilityOut(
        opportunity_id=opportunity.pk, method=a.method, state=a.state, label=a.label, capacity=a.capacity,
        seats_taken=a.seats_taken, seats_left=a.seats_left, waiting=a.waiting, lottery_entries=a.entered,
        childcare_capacity=a.childcare_capacity, childcare_left=a.childcare_left, applications_close_at=a.closes_at,
        lottery_drawn=a.drawn,
    )  # fmt: skip
