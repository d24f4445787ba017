"""Public read API of the talent bank: the directory as the public sees it, the 出前講座 menu and
the year's figures (open data). Every registration goes through `selectors.profile_view` for the
public reader, as the pages do; no contact detail is in any schema here."""

from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from manabiya.core.api import ErrorOut, Id, MunicipalityCode, Text
from manabiya.core.models import Municipality

from . import selectors

router = Router(tags=["talent"])

# Years whose dates stay in range (a fiscal year ends the next March); the same span as the catalogue's.
FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 1900, 2999


class ProfileOut(Schema):
    id: int
    municipality: str
    is_instructor: bool
    is_volunteer: bool
    name: str | None
    categories: list[str]
    keywords: str
    qualifications: str
    biography: str
    topics: str
    audiences: list[str]
    areas: str
    weekdays: list[str]
    times: list[str]
    fee: str


class TopicOut(Schema):
    id: int
    municipality: str
    title: str
    description: str
    offered_by: str
    category: str | None
    audience: str
    duration_minutes: int
    min_group_size: int


class MonthOut(Schema):
    month: str
    lectures: int
    participants: int
    activities: int
    person_days: int
    hours: float


class ProfileFilters(Schema):
    q: Text = Field("", max_length=100, description="Keywords; every word must be in what the registration shows.")
    role: Literal["", "instructor", "volunteer"] = ""
    municipality: str = Field("", pattern=r"^([0-9]{6})?$", description="Local government code; unknown: 404.")


class TopicFilters(Schema):
    municipality: str = Field("", pattern=r"^([0-9]{6})?$", description="Local government code; unknown: 404.")


def _municipality_id(code: str) -> int | None:
    return get_object_or_404(Municipality, code=code).pk if code else None


class FiguresOut(Schema):
    municipality: str
    fiscal_year: int
    instructors: int
    volunteers: int
    months: list[MonthOut]


def _profile_out(view: selectors.ProfileView) -> ProfileOut:
    return ProfileOut(
        id=view.id, municipality=view.municipality, is_instructor=view.is_instructor, is_volunteer=view.is_volunteer,
        name=view.name, categories=list(view.categories), keywords=view.keywords, qualifications=view.qualifications,
        biography=view.biography, topics=view.topics, audiences=list(view.audiences), areas=view.areas,
        weekdays=list(view.weekdays), times=list(view.times), fee=view.fee,
    )  # fmt: skip


@router.get(
    "/talent/profiles", response={200: list[ProfileOut], 404: ErrorOut}, summary="The talent bank's public directory"
)
def profiles(request, filters: Query[ProfileFilters]):
    """Approved, current registrations as the public sees them, found only by what they show; an
    unknown municipality is not found."""
    municipality_id = _municipality_id(filters.municipality)
    found = selectors.directory(municipality_id=municipality_id, query=filters.q, role=filters.role)
    return [_profile_out(v) for v in found]


@router.get(
    "/talent/profiles/{profile_id}",
    response={200: ProfileOut, 404: ErrorOut},
    summary="One registration, as the public sees it",
)
def profile(request, profile_id: Id):
    """An approved, current registration; any other is not found."""
    found = selectors.public_profile(profile_id=profile_id)
    if found is None:
        raise Http404
    return _profile_out(found[1])


@router.get(
    "/demae/topics",
    response={200: list[TopicOut], 404: ErrorOut},
    summary="The delivery lectures (出前講座) on the menu",
)
def topics(request, filters: Query[TopicFilters]):
    """The active topics, of one municipality if asked; an unknown municipality is not found."""
    municipality_id = _municipality_id(filters.municipality)
    return [
        TopicOut(
            id=t.pk,
            municipality=t.municipality.name,
            title=t.title,
            description=t.description,
            offered_by=t.provider.name,
            category=t.category.name if t.category else None,
            audience=t.audience,
            duration_minutes=t.duration_minutes,
            min_group_size=t.min_group_size,
        )
        for t in selectors.menu(municipality_id=municipality_id)
    ]


@router.get(
    "/talent/figures/{municipality_code}/{fiscal_year}",
    response={200: FiguresOut, 404: ErrorOut},
    summary="Registered talent, delivery lectures and volunteer activity of a fiscal year, by month",
)
def figures(
    request,
    municipality_code: MunicipalityCode,
    fiscal_year: int = Path(..., ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR, description="April to March."),
):
    """The figures of a fiscal year (April to March) from 1900 to 2999; an unknown municipality is not
    found, a year outside that range is 422."""
    municipality = get_object_or_404(Municipality, code=municipality_code)
    year = selectors.figures(municipality_id=municipality.pk, fiscal_year=fiscal_year)
    return FiguresOut(
        municipality=municipality.name,
        fiscal_year=year.fiscal_year,
        instructors=year.instructors,
        volunteers=year.volunteers,
        months=[
            MonthOut(
                month=f"{m.month:%Y-%m}",
                lectures=m.lectures,
                participants=m.participants,
                activities=m.activities,
                person_days=m.person_days,
                hours=m.hours,
            )
            for m in year.months
        ],
    )
