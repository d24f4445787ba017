"""Reads of the learning passport: a citizen's passport page and history, what staff may see,
and the programme's figures the plan's indicators read (受講登録者数, 表彰者数)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from manabiya.core.selectors import coordinated_municipalities, member_organizations

from .models import Award, LearningReport, Level, Participation, Passport, Programme, Stamp
from .services import passport_totals

ACTIVE_DAYS = 90


def programmes_open(*, today=None) -> QuerySet[Programme]:
    today = today or timezone.localdate()
    return Programme.objects.filter(is_open=True, starts_on__lte=today, ends_on__gte=today).select_related(
        "municipality"
    )


def passports_of(*, user) -> QuerySet[Passport]:
    return Passport.objects.filter(user=user).select_related("programme__municipality")


def passport_of(*, user, number: str) -> Passport | None:
    """The citizen's own passport; another's is None, as if it did not exist."""
    return passports_of(user=user).filter(number=number).first()


@dataclass(frozen=True)
class Progress:
    credits: Decimal
    categories: int
    next_level: Level | None
    credits_to_go: Decimal
    categories_to_go: int
    percent: int


def progress(passport: Passport) -> Progress:
    credits, categories = passport_totals(passport)
    awarded = set(passport.awards.values_list("level_id", flat=True))
    next_level = next((level for level in passport.programme.levels.all() if level.pk not in awarded), None)
    if next_level is None:
        return Progress(credits, categories, None, Decimal(0), 0, 100)
    to_go = max(next_level.credits - credits, Decimal(0))
    percent = 100 if not next_level.credits else min(100, int(credits * 100 / next_level.credits))
    return Progress(credits, categories, next_level, to_go, max(next_level.min_categories - categories, 0), percent)


def stamps(passport: Passport) -> QuerySet[Stamp]:
    return passport.stamps.select_related("category", "opportunity").order_by("earned_on", "recorded_at")


def awards_of(passport: Passport) -> QuerySet[Award]:
    return passport.awards.select_related("level", "municipality").order_by("issued_at")


def award_public(*, credential_id) -> Award | None:
    return (
        Award.objects.select_related("municipality", "level__programme", "certification", "passport")
        .filter(credential_id=credential_id)
        .first()
    )


# --- staff --------------------------------------------------------------------------------------


def programmes_coordinated(*, user) -> QuerySet[Programme]:
    return Programme.objects.filter(municipality__in=coordinated_municipalities(user=user)).select_related(
        "municipality"
    )


def programmes_for_provider(*, user) -> QuerySet[Programme]:
    """Programmes a provider member can opt opportunities into: open ones, any municipality's,
    as a region's programme takes its neighbours' courses."""
    if not member_organizations(user=user).exists():
        return Programme.objects.none()
    return programmes_open()


def participations_pending(programme: Programme) -> QuerySet[Participation]:
    return programme.participations.filter(state=Participation.State.PROPOSED).select_related("opportunity__provider")


def reports_pending(programme: Programme) -> QuerySet[LearningReport]:
    return LearningReport.objects.filter(
        passport__programme=programme, state=LearningReport.State.PENDING
    ).select_related("passport", "category")


@dataclass(frozen=True)
class Figures:
    registrants: int
    active_learners: int
    stamps: int
    credits: Decimal
    by_provider: list[dict]
    by_category: list[dict]
    awards_by_level: list[dict]
    awards_by_month: list[dict]
    awards: int


def programme_figures(programme: Programme, *, today: dt.date | None = None) -> Figures:
    """What the coordinator's page and the plan's indicators show, in a fixed number of queries."""
    today = today or timezone.localdate()
    programme_stamps = Stamp.objects.filter(passport__programme=programme)
    awards = Award.objects.filter(passport__programme=programme, revoked_at__isnull=True)
    totals = programme_stamps.aggregate(n=Count("pk"), credits=Sum("credits"))
    return Figures(
        registrants=programme.passports.count(),
        active_learners=programme_stamps.filter(earned_on__gt=today - dt.timedelta(days=ACTIVE_DAYS))
        .values("passport")
        .distinct()
        .count(),
        stamps=totals["n"],
        credits=totals["credits"] or Decimal(0),
        by_provider=list(
            programme_stamps.values("provider_name")
            .annotate(stamps=Count("pk"), learners=Count("passport", distinct=True))
            .order_by("-stamps", "provider_name")
        ),
        by_category=list(
            programme_stamps.values("category__name", "category__name_en")
            .annotate(stamps=Count("pk"), learners=Count("passport", distinct=True))
            .order_by("-stamps")
        ),
        awards_by_level=list(
            awards.values("level__name", "level__credits").annotate(n=Count("pk")).order_by("level__credits")
        ),
        awards_by_month=list(
            awards.annotate(month=TruncMonth("issued_at")).values("month").annotate(n=Count("pk")).order_by("month")
        ),
        awards=awards.count(),
    )


def passport_for_staff(*, user, number: str) -> Passport | None:
    """A passport by its number, for the coordinators of its programme's municipality."""
    return (
        Passport.objects.filter(
            number=number.strip(), programme__municipality__in=coordinated_municipalities(user=user)
        )
        .select_related("programme__municipality")
        .first()
    )
