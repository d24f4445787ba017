"""The catalogue's public read API: the same search as the catalogue page, as JSON.

Query parameters mirror the catalogue page's GET form, so a page URL's query string works here too.
Only what the public sees is served: published and cancelled opportunities.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import field_validator, model_validator

from manabiya.core.api import MAX_ID, ErrorOut, Id, IsoDate, Slug, Text
from manabiya.core.models import Municipality
from manabiya.search.selectors import COUNT_CAP

from . import selectors
from .facets import facet_counts
from .models import (
    ApplicationMethod,
    Audience,
    Category,
    Format,
    LearningOpportunity,
    Session,
    TimeOfDay,
    Venue,
)
from .selectors_search import SUGGESTIONS, run_search, search_suggestions

router = Router(tags=["catalogue"])

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


# --- output --------------------------------------------------------------------------------------


class MunicipalityOut(Schema):
    code: str = Field(description="全国地方公共団体コード (local government code), 6 digits.")
    name: str


class MunicipalityDetailOut(MunicipalityOut):
    name_kana: str
    prefecture: str


class ProviderOut(Schema):
    id: int
    name: str


class CategoryOut(Schema):
    slug: str
    name: str


class SubcategoryOut(CategoryOut):
    name_en: str


class CategoryTreeOut(SubcategoryOut):
    children: list[SubcategoryOut] = Field(description="Subcategories (小分類); the taxonomy has two levels.")

    @staticmethod
    def resolve_children(obj: Category) -> list[Category]:
        return list(obj.children.all())


class TagOut(Schema):
    slug: str
    name: str


class AudienceOut(TagOut):
    name_en: str


class VenueOut(Schema):
    id: int
    name: str
    address: str
    lat: float | None = Field(description="Latitude (WGS84).")
    lon: float | None = Field(description="Longitude (WGS84).")

    @staticmethod
    def resolve_lat(obj: Venue) -> float | None:
        return _float(obj.latitude)

    @staticmethod
    def resolve_lon(obj: Venue) -> float | None:
        return _float(obj.longitude)


class SessionOut(Schema):
    starts_at: dt.datetime = Field(description="Start, in Japan time.")
    ends_at: dt.datetime | None
    venue: VenueOut | None = Field(description="Where this date takes place: its own venue or the opportunity's.")
    note: str

    @staticmethod
    def resolve_starts_at(obj: Session) -> dt.datetime:
        return timezone.localtime(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj: Session) -> dt.datetime | None:
        return timezone.localtime(obj.ends_at) if obj.ends_at else None

    @staticmethod
    def resolve_venue(obj: Session) -> Venue | None:
        # The opportunity is cached on each prefetched session, so this reads no row.
        return obj.effective_venue


class ChildcareOut(Schema):
    offered: bool
    capacity: int | None
    ages: str


class OpportunityOut(Schema):
    id: int
    title: str
    title_kana: str
    summary: str
    status: Literal["published", "cancelled"] = Field(description="A cancelled opportunity stays listed.")
    provider: ProviderOut
    municipality: MunicipalityOut
    category: CategoryOut | None
    audiences: list[TagOut]
    format: Format
    fee: int = Field(description="Fee in yen; 0 means free.")
    capacity: int | None
    application_method: ApplicationMethod
    application_opens_at: dt.datetime | None
    application_closes_at: dt.datetime | None
    childcare: ChildcareOut
    accessibility: list[TagOut] = Field(description="Support offered (手話通訳, 要約筆記, …).")
    venue: VenueOut | None
    sessions: list[SessionOut]
    url: str = Field(description="The opportunity's page on this site.")

    @staticmethod
    def resolve_audiences(obj: LearningOpportunity) -> list[Audience]:
        return list(obj.audiences.all())

    @staticmethod
    def resolve_accessibility(obj: LearningOpportunity) -> list:
        return list(obj.accessibility.all())

    @staticmethod
    def resolve_sessions(obj: LearningOpportunity) -> list[Session]:
        return obj.api_sessions

    @staticmethod
    def resolve_childcare(obj: LearningOpportunity) -> dict:
        return {
            "offered": obj.childcare_offered,
            "capacity": obj.childcare_capacity,
            "ages": obj.childcare_ages,
        }

    @staticmethod
    def resolve_application_opens_at(obj: LearningOpportunity) -> dt.datetime | None:
        return timezone.localtime(obj.application_opens_at) if obj.application_opens_at else None

    @staticmethod
    def resolve_application_closes_at(obj: LearningOpportunity) -> dt.datetime | None:
        return timezone.localtime(obj.application_closes_at) if obj.application_closes_at else None

    @staticmethod
    def resolve_url(obj: LearningOpportunity, context) -> str:
        return context["request"].build_absolute_uri(reverse("catalog:opportunity_detail", args=[obj.pk]))


class OpportunityDetailOut(OpportunityOut):
    description: str
    fee_note: str
    application_note: str
    eligibility_note: str
    age_min: int | None
    age_max: int | None
    online_url: str
    languages: list[str]
    contact_name: str
    contact_phone: str
    contact_email: str
    web_page: str = Field(description="The provider's own page about the opportunity, if any.")

    @staticmethod
    def resolve_web_page(obj: LearningOpportunity) -> str:
        return obj.url


class FacetsOut(Schema):
    """How many results each filter value would give: the same counts as the catalogue page.

    Counts are over the current results, so a value's count is what choosing it leaves; the
    municipality and category counts leave out their own filter, so they show what switching to
    another one gives.
    """

    municipality: dict[str, int] = Field(description="By local government code.")
    category: dict[str, int] = Field(description="By category slug; a top-level category counts its subcategories.")
    audience: dict[str, int] = Field(description="By audience slug.")
    accessibility: dict[str, int] = Field(description="By support slug.")
    weekday: dict[str, int] = Field(description="By ISO weekday, 1 = Monday.")
    time: dict[str, int] = Field(description="By time of day.")
    fee: dict[str, int] = Field(description="free and paid.")
    format: dict[str, int]
    childcare: int = Field(description="Offering childcare.")
    open_now: int = Field(description="Accepting applications now.")
    exact: bool = Field(description="False when the results are too many to count one by one: these are estimates.")


class OpportunityPage(Schema):
    count: int = Field(description="Number of matching opportunities, all pages together.")
    count_exact: bool = Field(
        description=f"False when `count` is an estimate: more than {COUNT_CAP} results, of which only the first "
        f"{COUNT_CAP} can be paged through."
    )
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, if any.")
    previous: str | None = Field(description="URL of the previous page, if any.")
    items: list[OpportunityOut]
    facets: FacetsOut | None = Field(None, description="Counts per filter value, with `facets=true`.")


class SuggestionOut(Schema):
    id: int
    title: str
    status: Literal["published", "cancelled"]
    url: str = Field(description="The opportunity's page on this site.")

    @staticmethod
    def resolve_url(obj: LearningOpportunity, context) -> str:
        return context["request"].build_absolute_uri(reverse("catalog:opportunity_detail", args=[obj.pk]))


class SuggestionsOut(Schema):
    q: str
    count: int = Field(description="Number of opportunities the keyword finds, not only those suggested.")
    categories: list[CategoryOut] = Field(description="Topics whose name holds every word of the keyword.")
    items: list[SuggestionOut] = Field(description="The best matches, best first.")


# --- input ---------------------------------------------------------------------------------------

Weekday = Annotated[int, Field(ge=1, le=7)]
# Days a session can be on: the date arithmetic (the next day, the day's start in Japan time) stays in
# range, where 0001-01-01 and 9999-12-31 would not.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
Day = Annotated[IsoDate, Field(ge=FIRST_DAY, le=LAST_DAY)]
# An empty field of the catalogue page's form (`date_from=`): read as not given.
Blank = Literal[""]


class OpportunityFilters(Schema):
    """The catalogue page's filters, plus paging."""

    q: Text = Field("", max_length=100, description="Keywords; every word must match.")
    municipality: str = Field("", pattern=r"^([0-9]{6})?$", description="Local government code.")
    category: Slug = Field("", description="Category slug; a top-level category includes its subcategories.")
    audience: Slug = Field("", description="Audience (life stage) slug.")
    date_from: Day | Blank | None = Field(None, description="With a date not yet over on this day (default: now).")
    date_to: Day | Blank | None = Field(None, description="With a date on or before this day.")
    weekday: list[Weekday] = Field([], description="ISO weekdays, 1 = Monday; repeat for several.")
    time: list[TimeOfDay] = Field([], description="Time of day; repeat for several.")
    fee: Literal["", "free", "paid"] = ""
    format: Format | Literal[""] = ""
    childcare: bool = Field(False, description="Only those offering childcare (保育あり).")
    accessibility: list[Slug] = Field([], description="Support slugs; repeat for several, all required.")
    venue: Id | Blank | None = None
    provider: Id | Blank | None = None
    open_now: bool = Field(False, description="Only those accepting applications now.")
    sort: Literal["", "relevance", "date", "newest"] | None = Field(
        None,
        description="relevance: best matches for `q` first (the default with `q`; without it, the same as date); "
        "date: soonest first (the default without `q`); newest: most recently published first.",
    )
    facets: bool = Field(False, description="Also count, for each filter value, the results choosing it gives.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: Annotated[int, Field(ge=0, le=MAX_ID)] | Blank | None = None
    page: Annotated[int, Field(ge=1, le=MAX_ID)] | Blank | None = Field(
        None, description="Page number of `limit` items; instead of `offset`."
    )

    @field_validator("date_from", "date_to", "venue", "provider", "sort", "offset", "page", mode="before")
    @classmethod
    def _blank_is_absent(cls, value):
        # The catalogue page's form sends empty fields (`date_from=`): read them as not given.
        return None if value == "" else value

    @model_validator(mode="after")
    def _check_consistent(self):
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValueError("date_to must not be before date_from")
        if self.offset is not None and self.page is not None:
            raise ValueError("give either offset or page, not both")
        return self

    def to_query(self) -> selectors.CatalogQuery:
        return selectors.CatalogQuery(
            q=self.q,
            municipality=self.municipality,
            category=self.category,
            audience=self.audience,
            date_from=self.date_from,
            date_to=self.date_to,
            weekdays=list(dict.fromkeys(self.weekday)),
            times=[str(t) for t in dict.fromkeys(self.time)],
            fee=self.fee,
            format=str(self.format),
            childcare=self.childcare,
            accessibility=list(dict.fromkeys(self.accessibility)),
            venue=self.venue,
            provider=self.provider,
            open_now=self.open_now,
            sort=self.sort or "",
        )

    @property
    def start(self) -> int:
        if self.page is not None:
            return (self.page - 1) * self.limit
        return self.offset or 0


# --- helpers -------------------------------------------------------------------------------------


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _with_api_relations(qs: QuerySet[LearningOpportunity]) -> QuerySet[LearningOpportunity]:
    """Everything the schemas read, in a fixed number of queries whatever the row count.

    Replace the list page's prefetches: the API lists every session with its venue, not only
    the upcoming ones.
    """
    sessions = Session.objects.select_related("venue").order_by("starts_at", "id")
    return (
        qs.select_related("provider", "municipality", "category", "venue")
        .prefetch_related(None)
        .prefetch_related("audiences", "accessibility", Prefetch("sessions", queryset=sessions, to_attr="api_sessions"))
    )


def _page_url(request: HttpRequest, offset: int) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params["offset"] = str(offset)
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


# --- endpoints -----------------------------------------------------------------------------------


def _facets(found) -> dict:
    facets = facet_counts(found)
    counts = facets.counts
    flags = {name: counts[name]["on"] for name in ("childcare", "open_now")}
    return {**counts, **flags, "exact": facets.exact}


@router.get("/opportunities", response=OpportunityPage, summary="Search the catalogue")
def opportunity_list(request: HttpRequest, filters: Query[OpportunityFilters]):
    """Public opportunities matching the filters: with `q`, best matches first; without, soonest
    first (see `sort`). The same search as the catalogue page.

    Page with `limit` and `offset`, or `limit` and `page`. With `facets=true`, also how many
    results each filter value gives.
    """
    found = run_search(query=filters.to_query(), fetch=_with_api_relations)
    results = found.results
    pageable = results.count()  # at most COUNT_CAP
    start, limit = filters.start, filters.limit
    items = list(results[start : start + limit]) if start < pageable else []
    return {
        "count": results.total.value,
        "count_exact": results.total.exact,
        "limit": limit,
        "offset": start,
        "next": _page_url(request, start + limit) if start + limit < pageable else None,
        "previous": _page_url(request, max(start - limit, 0)) if start > 0 and pageable else None,
        "items": items,
        "facets": _facets(found) if filters.facets else None,
    }


class SuggestionQuery(Schema):
    q: Text = Field("", max_length=100, description="What has been typed so far.")
    limit: int = Field(SUGGESTIONS, ge=1, le=20, description="Topics and titles together.")


@router.get("/opportunities/suggestions", response=SuggestionsOut, summary="Suggestions as a keyword is typed")
def opportunity_suggestions(request: HttpRequest, params: Query[SuggestionQuery]):
    """What the catalogue's keyword box suggests: matching topics, then the titles the search ranks
    first. An empty keyword suggests nothing."""
    q = params.q.strip()
    if not q:
        return {"q": q, "count": 0, "categories": [], "items": []}
    found = search_suggestions(selectors.CatalogQuery(q=q), limit=params.limit)
    return {"q": q, "count": found.total, "categories": found.categories, "items": found.opportunities}


@router.get(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityDetailOut, 404: ErrorOut},
    summary="One opportunity",
)
def opportunity_detail(request: HttpRequest, opportunity_id: Id):
    """A published or cancelled opportunity; drafts and opportunities under review are not found."""
    opportunity = _with_api_relations(selectors.public_opportunities().filter(pk=opportunity_id)).first()
    if opportunity is None:
        raise Http404
    return opportunity


@router.get("/municipalities", response=list[MunicipalityDetailOut], summary="Municipalities")
def municipality_list(request: HttpRequest):
    return Municipality.objects.order_by("code")


@router.get("/categories", response=list[CategoryTreeOut], summary="Topic categories, as a tree")
def category_list(request: HttpRequest):
    """Top-level categories (大分類), each with its subcategories (小分類)."""
    return Category.objects.filter(parent__isnull=True).prefetch_related("children")


@router.get("/audiences", response=list[AudienceOut], summary="Audiences (life stages)")
def audience_list(request: HttpRequest):
    return Audience.objects.all()
