"""The demo's learning passport: Chitose's stamp rally (ちとせを学ぶスタンプラリー, seed 004) with
its published courses taking part, and the demo citizen holding a passport with a first stamp."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from manabiya.catalog.models import LearningOpportunity, Status
from manabiya.core.models import Municipality, User

from . import services
from .models import Award, Certification, Passport, Programme

PROGRAMME_NAME = "ちとせを学ぶスタンプラリー"
CERTIFICATION_NAME = "ひと・まちづくりリーダー"
LEVELS = [
    {"name": "初級", "credits": Decimal(10), "min_categories": 0, "title": "ちとせ学びビギナー"},
    {"name": "中級", "credits": Decimal(30), "min_categories": 2, "title": "ちとせ学びマスター"},
    {"name": "上級", "credits": Decimal(60), "min_categories": 3, "title": "ちとせ学び博士"},
]


def demo_passport(*, coordinator: User, municipality: Municipality, citizen: User, name: str, today: dt.date) -> int:
    """The programme, its courses, the citizen's passport; returns how many courses take part.
    Call inside the demo's transaction."""
    programme = services.programme_create(
        actor=coordinator,
        municipality=municipality,
        levels=[dict(level) for level in LEVELS],
        name=PROGRAMME_NAME,
        description="市内の講座に参加してスタンプを集め、単位に応じて表彰します。",
        starts_on=today.replace(month=4, day=1)
        if today.month >= 4
        else today.replace(year=today.year - 1, month=4, day=1),
        ends_on=today.replace(year=today.year + 1, month=3, day=31)
        if today.month >= 4
        else today.replace(month=3, day=31),
        credit_rule="per_session",
        credits_per_unit=Decimal(1),
    )
    courses = LearningOpportunity.objects.filter(municipality=municipality, status=Status.PUBLISHED)
    for opportunity in courses:
        services.participation_propose(actor=coordinator, programme=programme, opportunity=opportunity)
    passport = services.passport_join(user=citizen, programme=programme, name=name, kana="マナビ ハナコ", today=today)
    services.stamp_counter(
        actor=coordinator,
        passport=passport,
        reason="市民大学の修了証を窓口で確認（デモ）",
        title="千歳市民大学 公開講座",
        earned_on=today,
        credits=Decimal(3),
    )
    services.certification_create(
        actor=coordinator,
        municipality=municipality,
        name=CERTIFICATION_NAME,
        training="ひと・まちづくりリーダー養成講座",
        criteria="養成講座（全8回）を修了し、地域活動の計画を発表したこと",
    )
    return courses.count()


def reset_demo_passport(*, emails: list[str]) -> int:
    """Remove the demo programme and certification, and the demo accounts' passports and awards,
    so the accounts can go. Returns how many passports were removed."""
    programmes = Programme.objects.filter(name=PROGRAMME_NAME)
    Award.objects.filter(
        Q(passport__programme__in=programmes)
        | Q(recipient__email__in=emails)
        | Q(certification__name=CERTIFICATION_NAME)
    ).delete()
    passports = Passport.objects.filter(Q(programme__in=programmes) | Q(user__email__in=emails))
    removed = passports.count()
    passports.delete()
    programmes.delete()
    Certification.objects.filter(name=CERTIFICATION_NAME).delete()
    return removed
