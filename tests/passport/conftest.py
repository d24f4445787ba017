"""A passport programme of Koganei with one taking-part course, built through the real services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from manabiya.catalog import services as catalog_services
from manabiya.catalog.models import Category
from manabiya.passport import services
from manabiya.registration import services as registration_services

from ..conftest import future
from ..registration.conftest import apply, make_course, new_citizen

__all__ = ["make_course"]  # the registration's fixture, used here too

LEVELS = [
    {"name": "初級", "credits": Decimal(2), "min_categories": 0, "title": ""},
    {"name": "中級", "credits": Decimal(4), "min_categories": 2, "title": "こがねい学びマスター"},
]


@pytest.fixture
def make_programme(koganei, coordinator):
    def _make(*, rule="per_session", unit=Decimal(1), levels=LEVELS, **fields):
        today = timezone.localdate()
        fields.setdefault("starts_on", today - dt.timedelta(days=30))
        fields.setdefault("ends_on", today + dt.timedelta(days=300))
        return services.programme_create(
            actor=coordinator,
            municipality=koganei,
            name=fields.pop("name", "こがねい学びのスタンプラリー"),
            credit_rule=rule,
            credits_per_unit=unit,
            levels=[dict(level) for level in levels],
            **fields,
        )

    return _make


@pytest.fixture
def programme(make_programme):
    return make_programme()


@pytest.fixture
def taking_part(make_course, programme, provider_member, coordinator):
    """A published course that takes part in the programme; more dates with `dates=`."""

    def _make(*, category="ict", dates=1, hours=2, title="スマートフォン活用講座", **fields):
        start = future(7)
        sessions = [
            catalog_services.SessionSpec(
                starts_at=start + dt.timedelta(days=7 * i), ends_at=start + dt.timedelta(days=7 * i, hours=hours)
            )
            for i in range(dates)
        ]
        course = make_course(title=title, sessions=sessions, category=Category.objects.get(slug=category), **fields)
        participation = services.participation_propose(actor=provider_member, programme=programme, opportunity=course)
        services.participation_decide(actor=coordinator, participation=participation, approve=True)
        return course

    return _make


@pytest.fixture
def learner(programme):
    """A citizen who has joined the programme."""
    user = new_citizen(name="小金井 花子", name_kana="コガネイ ハナコ")
    passport = services.passport_join(user=user, programme=programme, name="小金井 花子", kana="コガネイ ハナコ")
    return passport


def attend(passport, course, provider_member, *, session_index=0):
    """The learner applies, is confirmed, and is checked in at one session."""
    application = course.applications.filter(user=passport.user).first() or apply(passport.user, course)
    session = list(course.sessions.order_by("starts_at"))[session_index]
    attendance, _created = registration_services.attendance_record(
        actor=provider_member, session=session, application=application
    )
    return attendance, session


@pytest.fixture(autouse=True)
def _in_english(english):
    """Assertions quote the English messages; the tests of Japanese output switch to it themselves."""
