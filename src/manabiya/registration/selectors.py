"""Reads of the applications: availability for the catalogue, My page, rosters for the provider."""

from dataclasses import dataclass, replace

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from manabiya.catalog.models import ApplicationMethod, LearningOpportunity, Session, Status

from .models import ACTIVE, HOLDING, Application, ApplicationRules, ApplicationStatus, Attendance, LotteryDraw

# "残りわずか" from this share of the capacity left (and at most this many seats).
FEW_LEFT_SHARE = 0.2
FEW_LEFT_MAX = 5


@dataclass(frozen=True)
class Availability:
    method: str
    capacity: int | None
    seats_taken: int
    seats_left: int | None
    waiting: int
    entered: int
    childcare_capacity: int | None
    childcare_left: int | None
    closes_at: object
    drawn: bool
    state: str  # open | few_left | full | lottery | closed | none
    # Where each date takes its own applications: (session, its Availability) for the dates ahead.
    sessions: tuple = ()

    @property
    def label(self) -> str:
        return {
            "open": _("Places available"),
            "few_left": _("Few places left"),
            "full": _("Full — waiting list open"),
            "lottery": _("Lottery"),
            "closed": _("Applications closed"),
            "none": _("No application needed"),
        }[self.state]


def availability(*, opportunity: LearningOpportunity, now=None) -> Availability:
    return availability_many(opportunities=[opportunity], now=now)[opportunity.pk]


def availability_many(*, opportunities: list[LearningOpportunity], now=None) -> dict[int, Availability]:
    """Availability of each opportunity, in a fixed number of queries however many there are (a list
    page): two, and two more when some take applications per date."""
    now = now or timezone.now()
    ids = [o.pk for o in opportunities if o.application_method != ApplicationMethod.NONE]
    counts = {
        (row["opportunity_id"], row["session_id"]): row
        for row in Application.objects.filter(opportunity_id__in=ids)
        .values("opportunity_id", "session_id")
        .annotate(
            seats=Sum("party_size", filter=Q(status__in=HOLDING)),
            childcare=Sum("childcare_count", filter=Q(status__in=HOLDING)),
            waiting=Count("pk", filter=Q(status=ApplicationStatus.WAITING)),
            entered=Count("pk", filter=Q(status=ApplicationStatus.ENTERED)),
        )
        .order_by()
    }
    drawn = set(LotteryDraw.objects.filter(opportunity_id__in=ids).values_list("opportunity_id", flat=True))
    dated = _per_session_dates(opportunities, ids, now=now) if ids else {}
    found = {}
    for o in opportunities:
        if o.pk in dated:
            found[o.pk] = _per_session_availability(o, dated[o.pk], counts, now=now)
        else:
            found[o.pk] = _availability(o, counts.get((o.pk, None), {}), drawn=o.pk in drawn, now=now)
    return found


def _per_session_dates(opportunities, ids, *, now) -> dict[int, list[Session]]:
    """The dates still ahead of each opportunity that takes applications per date."""
    first_come = [o.pk for o in opportunities if o.pk in ids and o.application_method == ApplicationMethod.FIRST_COME]
    per_session = list(
        ApplicationRules.objects.filter(opportunity_id__in=first_come, per_session=True).values_list(
            "opportunity_id", flat=True
        )
    )
    if not per_session:
        return {}
    dates: dict[int, list[Session]] = {pk: [] for pk in per_session}
    for session in Session.objects.filter(opportunity_id__in=per_session, starts_at__gt=now).order_by("starts_at"):
        dates[session.opportunity_id].append(session)
    return dates


def _per_session_availability(opportunity, sessions: list[Session], counts: dict, *, now) -> Availability:
    """Each date on its own; the opportunity as a whole as good as its best date."""
    each = tuple(
        (
            session,
            _availability(
                opportunity,
                counts.get((opportunity.pk, session.pk), {}),
                drawn=False,
                now=now,
                starts_at=session.starts_at,
            ),
        )
        for session in sessions
    )
    if not each:
        return replace(_availability(opportunity, {}, drawn=False, now=now), state="closed")
    best = max((a for _s, a in each), key=lambda a: a.seats_left if a.seats_left is not None else 10**9)
    return replace(best, waiting=sum(a.waiting for _s, a in each), sessions=each)


def _availability(opportunity: LearningOpportunity, counts: dict, *, drawn: bool, now, starts_at=None) -> Availability:
    taken = counts.get("seats") or 0
    left = None if opportunity.capacity is None else max(opportunity.capacity - taken, 0)
    childcare_capacity = opportunity.childcare_capacity
    childcare_left = None if childcare_capacity is None else max(childcare_capacity - (counts.get("childcare") or 0), 0)
    return Availability(
        method=opportunity.application_method, capacity=opportunity.capacity, seats_taken=taken, seats_left=left,
        waiting=counts.get("waiting", 0), entered=counts.get("entered", 0), childcare_capacity=childcare_capacity,
        childcare_left=childcare_left, closes_at=opportunity.application_closes_at, drawn=drawn,
        state=_state(opportunity, left=left, drawn=drawn, now=now, starts_at=starts_at or opportunity.first_starts_at),
    )  # fmt: skip


def _state(opportunity, *, left, drawn, now, starts_at) -> str:
    if opportunity.application_method == ApplicationMethod.NONE:
        return "none"
    started = starts_at is not None and starts_at <= now
    closed = opportunity.application_closes_at is not None and now >= opportunity.application_closes_at
    if opportunity.status != Status.PUBLISHED or started:
        return "closed"
    if opportunity.application_method == ApplicationMethod.LOTTERY and not drawn:
        return "closed" if closed else "lottery"
    if closed and opportunity.application_method == ApplicationMethod.FIRST_COME:
        return "closed"
    if left is None:
        return "open"
    if left == 0:
        return "full"
    if left <= min(FEW_LEFT_MAX, max(1, int(opportunity.capacity * FEW_LEFT_SHARE))):
        return "few_left"
    return "open"


def active_application(*, user, opportunity: LearningOpportunity) -> Application | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Application.objects.filter(user=user, opportunity=opportunity, status__in=ACTIVE).first()


def _with_opportunity(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related(
        "opportunity", "opportunity__provider", "opportunity__venue", "session"
    ).prefetch_related(Prefetch("opportunity__sessions", queryset=Session.objects.order_by("starts_at")))


@dataclass(frozen=True)
class MyPage:
    upcoming: list[Application]
    waiting: list[Application]
    past: list[Application]


def mypage(*, user, now=None) -> MyPage:
    """The citizen's applications: places held for courses not over, waiting and lottery entries,
    and everything else (over, cancelled, lapsed), newest first."""
    now = now or timezone.now()
    mine = list(_with_opportunity(Application.objects.filter(user=user)).order_by("-created_at", "-pk"))

    def over(a: Application) -> bool:
        if a.session is not None:
            return (a.session.ends_at or a.session.starts_at) < now
        ends = a.opportunity.last_ends_at or a.opportunity.first_starts_at
        return ends is not None and ends < now

    upcoming = [a for a in mine if a.status in HOLDING and not over(a)]
    waiting = [a for a in mine if a.status in (ApplicationStatus.WAITING, ApplicationStatus.ENTERED) and not over(a)]
    shown = {a.pk for a in upcoming + waiting}
    upcoming.sort(key=lambda a: a.session.starts_at if a.session else a.opportunity.first_starts_at or now)
    return MyPage(upcoming=upcoming, waiting=waiting, past=[a for a in mine if a.pk not in shown])


def application_of(*, user, application_id: int) -> Application | None:
    """The citizen's own application, or None: no one sees another's."""
    if not getattr(user, "is_authenticated", False):
        return None
    return _with_opportunity(Application.objects.filter(pk=application_id, user=user)).first()


def roster(*, opportunity: LearningOpportunity) -> QuerySet[Application]:
    """Every application of the opportunity with its people, confirmed first, then the queue."""
    return (
        Application.objects.filter(opportunity=opportunity)
        .prefetch_related("participants")
        .select_related("user", "entered_by", "session")
        .order_by("status", "waiting_rank", "created_at", "pk")
    )


@dataclass(frozen=True)
class SessionCount:
    session: Session
    attended_applications: int
    attended_people: int
    walk_in_people: int


def session_counts(*, opportunity: LearningOpportunity) -> list[SessionCount]:
    sessions = opportunity.sessions.annotate(
        attended_applications=Count("attendances", distinct=True),
        attended_people=Sum("attendances__people", distinct=False),
    ).order_by("starts_at")
    walk_ins = dict(
        Session.objects.filter(opportunity=opportunity)
        .annotate(people=Sum("walk_ins__people"))
        .values_list("pk", "people")
    )
    return [SessionCount(s, s.attended_applications, s.attended_people or 0, walk_ins.get(s.pk) or 0) for s in sessions]


def session_roster(*, session: Session) -> list[tuple[Application, Attendance | None]]:
    """The confirmed applications of a session's opportunity, each with its check-in there if any."""
    attendance = {a.application_id: a for a in Attendance.objects.filter(session=session)}
    confirmed = (
        Application.objects.filter(opportunity_id=session.opportunity_id, status=ApplicationStatus.CONFIRMED)
        .filter(Q(session__isnull=True) | Q(session=session))
        .prefetch_related("participants")
        .order_by("name_kana", "name", "pk")
    )
    return [(a, attendance.get(a.pk)) for a in confirmed]
