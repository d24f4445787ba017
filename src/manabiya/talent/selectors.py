"""Reads of the talent bank: what each reader may see of a registration, the directory, matching,
the coordinators' queues and figures.

Privacy is decided in one place, `profile_view`: every page, the API and the directory's search read
a registration through it, so an item the registrant kept to the coordinators (or to themselves)
cannot reach the public by another road. Contact details are never in a public view.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from manabiya.catalog.models import Category, TimeOfDay
from manabiya.core.japan import fiscal_year_end
from manabiya.core.selectors import coordinated_municipalities, member_organizations

from . import matching
from .models import (
    FeePolicy,
    LectureRequest,
    LecturerInvitation,
    LectureTopic,
    TalentProfile,
    Visibility,
    VolunteerAssignment,
    VolunteerNeed,
)

PUBLIC, COORDINATORS, OWNER = "public", "coordinators", "owner"
# Who each reader is, and the item visibilities they may read.
READERS = {
    PUBLIC: {Visibility.PUBLIC},
    COORDINATORS: {Visibility.PUBLIC, Visibility.COORDINATORS},
    OWNER: {Visibility.PUBLIC, Visibility.COORDINATORS, Visibility.PRIVATE},
}


ITEM_FIELDS = TalentProfile.ITEM_FIELDS
ITEM_OF_FIELD = {name: item for item, names in ITEM_FIELDS.items() for name in names}


def hidden_fields(profile: TalentProfile, *, reader: str) -> frozenset[str]:
    """The model fields of `profile` that `reader` may not read: those of the items `profile_view`
    leaves out for them."""
    allowed = READERS[reader]
    return frozenset(
        name for item, names in ITEM_FIELDS.items() if profile.visibility_of(item) not in allowed for name in names
    )


def readable_by(field_name: str, *, reader: str) -> Q:
    """Registrations whose `field_name` `reader` may read: what a search of that field may match."""
    item = ITEM_OF_FIELD[field_name]
    allowed = sorted(str(v) for v in READERS[reader])
    readable = Q(**{f"visibility__{item}__in": allowed})
    if TalentProfile.DEFAULT_VISIBILITY in READERS[reader]:
        readable |= ~Q(visibility__has_key=item)
    return readable


@dataclass(frozen=True)
class ProfileView:
    """A registration as one reader may see it: an item they may not see is None (or empty)."""

    id: int
    municipality: str
    is_instructor: bool
    is_volunteer: bool
    name: str | None = None
    categories: tuple[str, ...] = ()
    keywords: str = ""
    qualifications: str = ""
    biography: str = ""
    topics: str = ""
    audiences: tuple[str, ...] = ()
    areas: str = ""
    weekdays: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    fee: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    shown: frozenset[str] = field(default_factory=frozenset)  # the items this reader sees

    def text(self) -> str:
        """Everything this reader sees, as one text: what the directory's search looks in."""
        parts = [self.name or "", *self.categories, self.keywords, self.qualifications, self.biography, self.topics,
                 *self.audiences, self.areas]  # fmt: skip
        return " ".join(p for p in parts if p)


def profile_view(profile: TalentProfile, *, reader: str) -> ProfileView:
    """`profile` as `reader` (PUBLIC, COORDINATORS or OWNER) may see it. Call with categories and
    audiences prefetched."""
    allowed = READERS[reader]
    shown = frozenset(item for item in TalentProfile.ITEMS if profile.visibility_of(item) in allowed)
    values = {}
    if "name" in shown:
        values["name"] = profile.name
    if "expertise" in shown:
        values["categories"] = tuple(c.label for c in profile.categories.all())
        values["keywords"] = profile.keywords
    for item in ("qualifications", "biography", "topics", "areas"):
        if item in shown:
            values[item] = getattr(profile, item)
    if "audiences" in shown:
        values["audiences"] = tuple(a.label for a in profile.audiences.all())
    if "availability" in shown:
        values["weekdays"], values["times"] = tuple(profile.weekday_labels()), tuple(profile.time_labels())
    if "fee" in shown:
        values["fee"] = str(FeePolicy(profile.fee_policy).label)
    if reader != PUBLIC:
        values["contact_email"], values["contact_phone"] = profile.contact_email, profile.contact_phone
    return ProfileView(
        id=profile.pk,
        municipality=profile.municipality.name,
        is_instructor=profile.is_instructor,
        is_volunteer=profile.is_volunteer,
        shown=shown,
        **values,
    )


def shown_name(profile: TalentProfile, *, reader: str) -> str:
    """The registrant's name if `reader` may see it, else the registration's number."""
    if profile.visibility_of("name") in READERS[reader]:
        return profile.name
    return _("Registration No. %(id)d (name not shown)") % {"id": profile.pk}


def _with_tags(qs: QuerySet[TalentProfile]) -> QuerySet[TalentProfile]:
    return qs.select_related("municipality", "organization").prefetch_related("categories", "audiences")


def listed(*, today: dt.date | None = None) -> QuerySet[TalentProfile]:
    """Registrations the public directory may list: approved and current."""
    today = today or timezone.localdate()
    return TalentProfile.objects.filter(state=TalentProfile.State.APPROVED, valid_until__gte=today)


def directory(
    *, municipality_id: int | None = None, query: str = "", role: str = "", category_id: int | None = None
) -> list[ProfileView]:
    """The public directory: each registration as the public sees it, found only by what it shows.
    A few hundred registrations a city (Chitose: 450), so the search runs over the views themselves,
    with the catalogue's Japanese matching (folding, readings' normal forms, synonyms)."""
    profiles = listed()
    if municipality_id:
        profiles = profiles.filter(municipality_id=municipality_id)
    if role == "instructor":
        profiles = profiles.filter(is_instructor=True)
    elif role == "volunteer":
        profiles = profiles.filter(is_volunteer=True)
    views = []
    for profile in _with_tags(profiles):
        view = profile_view(profile, reader=PUBLIC)
        if category_id and not (
            "expertise" in view.shown and any(category_id in (c.pk, c.parent_id) for c in profile.categories.all())
        ):
            continue
        if query and not all(matching.keyword_matches(word, view.text()) for word in query.split()):
            continue
        views.append(view)
    return views


def public_profile(*, profile_id: int) -> tuple[TalentProfile, ProfileView] | None:
    profile = _with_tags(listed().filter(pk=profile_id)).first()
    return (profile, profile_view(profile, reader=PUBLIC)) if profile else None


def profiles_of(*, user) -> QuerySet[TalentProfile]:
    """The registrations a user keeps: their own, and those of their organizations' staff."""
    return _with_tags(
        TalentProfile.objects.filter(
            Q(user=user, organization__isnull=True) | Q(organization__in=member_organizations(user=user))
        )
    )


def menu(*, municipality_id: int | None = None) -> QuerySet[LectureTopic]:
    topics = LectureTopic.objects.filter(active=True).select_related("provider", "category", "municipality", "talent")
    return topics.filter(municipality_id=municipality_id) if municipality_id else topics


def requests_of(*, user) -> QuerySet[LectureRequest]:
    return (
        LectureRequest.objects.filter(requested_by=user).select_related("topic", "lecturer").prefetch_related("dates")
    )


def invitations_of(*, user) -> QuerySet[LecturerInvitation]:
    return (
        LecturerInvitation.objects.filter(talent__in=profiles_of(user=user))
        .select_related("talent", "request__topic")
        .prefetch_related("request__dates")
    )


def assignments_of(*, user) -> QuerySet[VolunteerAssignment]:
    """A volunteer's activities, past and to come: their own record."""
    return (
        VolunteerAssignment.objects.filter(talent__in=profiles_of(user=user))
        .select_related("need__organization", "talent")
        .order_by("-need__starts_at")
    )


def lectures_given_by(*, user) -> QuerySet[LectureRequest]:
    """The lectures one of the user's registrations gives (or was decided to give)."""
    return (
        LectureRequest.objects.filter(lecturer__in=profiles_of(user=user))
        .select_related("topic", "lecturer")
        .prefetch_related("dates")
    )


@dataclass(frozen=True)
class VolunteerRecord:
    """A volunteer's own history: every activity, and what they took part in."""

    assignments: list
    activities: int
    hours: Decimal


def volunteer_record(*, user, limit: int = 500) -> VolunteerRecord:
    assignments = list(assignments_of(user=user)[:limit])
    attended = [a for a in assignments if a.attended]
    return VolunteerRecord(
        assignments=assignments,
        activities=len(attended),
        hours=sum((a.hours for a in attended if a.hours), start=Decimal(0)),
    )


def open_needs(*, municipality_id: int | None = None) -> QuerySet[VolunteerNeed]:
    needs = VolunteerNeed.objects.filter(state=VolunteerNeed.State.OPEN, starts_at__gt=timezone.now()).select_related(
        "organization", "municipality"
    )
    return needs.filter(municipality_id=municipality_id) if municipality_id else needs


def needs_managed_by(*, user) -> QuerySet[VolunteerNeed]:
    return (
        VolunteerNeed.objects.filter(
            Q(organization__in=member_organizations(user=user))
            | Q(municipality__in=coordinated_municipalities(user=user))
        )
        .select_related("organization")
        .annotate(
            confirmed=Count("assignments", filter=Q(assignments__state=VolunteerAssignment.State.CONFIRMED)),
            waiting=Count("assignments", filter=Q(assignments__state=VolunteerAssignment.State.APPLIED)),
        )
        .order_by("-starts_at")
    )


def coordinator_queue(*, user) -> dict:
    municipalities = coordinated_municipalities(user=user)
    return {
        "profiles": _with_tags(
            TalentProfile.objects.filter(municipality__in=municipalities).filter(
                Q(state=TalentProfile.State.PENDING) | Q(renewal_requested_at__isnull=False)
            )
        ),
        "requests": LectureRequest.objects.filter(municipality__in=municipalities)
        .exclude(state__in=[LectureRequest.State.CANCELLED, LectureRequest.State.REFUSED])
        .select_related("topic", "lecturer")
        .order_by("state", "-created_at")[:200],
    }


# --- matching -------------------------------------------------------------------------------------


def recent_engagements(profile_ids, *, since: dt.datetime) -> dict[int, int]:
    """Lectures accepted and activities confirmed per registrant since `since`: their load."""
    load: dict[int, int] = defaultdict(int)
    lectures = LecturerInvitation.objects.filter(
        talent_id__in=profile_ids, state=LecturerInvitation.State.ACCEPTED, answered_at__gte=since
    )
    activities = VolunteerAssignment.objects.filter(
        talent_id__in=profile_ids, state=VolunteerAssignment.State.CONFIRMED, need__starts_at__gte=since
    )
    for qs in (lectures, activities):
        for row in qs.values("talent_id").annotate(n=Count("pk")).order_by():
            load[row["talent_id"]] += row["n"]
    return dict(load)


def _ratings(profile_ids) -> dict[int, tuple[float, int]]:
    rows = (
        LectureRequest.objects.filter(lecturer_id__in=profile_ids, rating__isnull=False)
        .values("lecturer_id")
        .annotate(mean=Avg("rating"), n=Count("pk"))
        .order_by()
    )
    return {row["lecturer_id"]: (float(row["mean"]), row["n"]) for row in rows}


def _candidate(profile: TalentProfile, *, load: dict, ratings: dict) -> matching.Candidate:
    """What the coordinators may match on: nothing the registrant kept to themselves."""
    view = profile_view(profile, reader=COORDINATORS)
    categories = list(profile.categories.all()) if "expertise" in view.shown else []
    available = "availability" in view.shown
    rating, count = ratings.get(profile.pk, (None, 0))
    return matching.Candidate(
        profile_id=profile.pk,
        name=shown_name(profile, reader=COORDINATORS),
        category_ids=frozenset(c.pk for c in categories),
        parent_category_ids=frozenset(c.parent_id for c in categories if c.parent_id),
        keywords=" ".join(p for p in (view.keywords, view.topics, view.qualifications) if p),
        audience_ids=frozenset(a.pk for a in profile.audiences.all()) if "audiences" in view.shown else frozenset(),
        areas=tuple(view.areas.split()),
        weekdays=frozenset(profile.weekdays) if available else frozenset(),
        times=frozenset(profile.times) if available else frozenset(),
        rating=rating,
        ratings_count=count,
        recent_engagements=load.get(profile.pk, 0),
    )


def _rank(profiles: QuerySet[TalentProfile], want: matching.Want, *, limit: int) -> list[matching.Ranked]:
    profiles = list(_with_tags(profiles))
    ids = [p.pk for p in profiles]
    load = recent_engagements(ids, since=timezone.now() - dt.timedelta(days=365))
    ratings = _ratings(ids)
    return matching.rank(want, [_candidate(p, load=load, ratings=ratings) for p in profiles], limit=limit)


def _slot(moment: dt.datetime) -> tuple[int, str]:
    local = timezone.localtime(moment)
    hour = local.hour
    time = TimeOfDay.MORNING if hour < 12 else TimeOfDay.AFTERNOON if hour < 17 else TimeOfDay.EVENING
    return local.weekday(), str(time)


def _category_want(categories: list[Category]) -> dict:
    return {
        "category_ids": frozenset(c.pk for c in categories),
        "parent_category_ids": frozenset(c.parent_id for c in categories if c.parent_id),
    }


def candidates_for_request(*, request: LectureRequest, limit: int = 10) -> list[matching.Ranked]:
    """Instructors of the city ranked for a lecture request, best first, each with its reasons."""
    topic = request.topic
    want = matching.Want(
        **_category_want([topic.category] if topic.category else []),
        keywords=tuple(topic.title.split()),
        area=request.place.split()[0] if request.place.split() else "",
        slots=tuple(_slot(d.starts_at) for d in request.dates.all()),
    )
    profiles = listed().filter(municipality_id=request.municipality_id, is_instructor=True)
    return _rank(profiles, want, limit=limit)


def candidates_for_need(*, need: VolunteerNeed, limit: int = 10) -> list[matching.Ranked]:
    want = matching.Want(
        **_category_want(list(need.categories.all())),
        keywords=tuple(need.skills.split()),
        area=need.area,
        slots=(_slot(need.starts_at),),
    )
    on_it = need.assignments.values("talent_id")
    profiles = listed().filter(municipality_id=need.municipality_id, is_volunteer=True).exclude(pk__in=on_it)
    return _rank(profiles, want, limit=limit)


# --- figures --------------------------------------------------------------------------------------


@dataclass
class MonthFigures:
    month: dt.date
    lectures: int = 0
    participants: int = 0
    activities: int = 0
    person_days: int = 0
    hours: float = 0.0


@dataclass
class YearFigures:
    fiscal_year: int  # the calendar year it starts in: 2026 for R8 (April 2026–March 2027)
    instructors: int
    volunteers: int
    months: list[MonthFigures]

    @property
    def totals(self) -> MonthFigures:
        total = MonthFigures(month=self.months[0].month)
        for m in self.months:
            total.lectures += m.lectures
            total.participants += m.participants
            total.activities += m.activities
            total.person_days += m.person_days
            total.hours += m.hours
        return total


def fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def figures(*, municipality_id: int, fiscal_year: int) -> YearFigures:
    """What the plan counts (Chitose's 千歳学出前講座: sessions and participants; volunteer activities and
    person-days), month by month of a fiscal year; registrations current at its end (or today)."""
    start = dt.date(fiscal_year, 4, 1)
    end = fiscal_year_end(start)
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    months = {}
    day = start
    while day <= end:
        months[day] = MonthFigures(month=day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    lectures = (
        LectureRequest.objects.filter(
            municipality_id=municipality_id,
            state=LectureRequest.State.DELIVERED,
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"), people=Sum("attendance"))
        .order_by()
    )
    for row in lectures:
        figures_of = months[_month(row["month"])]
        figures_of.lectures, figures_of.participants = row["n"], row["people"] or 0
    attended = (
        VolunteerAssignment.objects.filter(
            need__municipality_id=municipality_id,
            attended=True,
            need__starts_at__gte=since,
            need__starts_at__lt=until,
        )
        .annotate(month=TruncMonth("need__starts_at", tzinfo=tz))
        .values("month")
        .annotate(activities=Count("need", distinct=True), people=Count("pk"), hours=Sum("hours"))
        .order_by()
    )
    for row in attended:
        figures_of = months[_month(row["month"])]
        figures_of.activities, figures_of.person_days = row["activities"], row["people"]
        figures_of.hours = float(row["hours"] or 0)
    counted_on = min(end, timezone.localdate())
    current = listed(today=counted_on).filter(municipality_id=municipality_id)
    return YearFigures(
        fiscal_year=fiscal_year,
        instructors=current.filter(is_instructor=True).count(),
        volunteers=current.filter(is_volunteer=True).count(),
        months=list(months.values()),
    )


def _month(value) -> dt.date:
    """TruncMonth gives a datetime on PostgreSQL and SQLite alike; the first of its month."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)
