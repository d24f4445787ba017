"""Koganei's talent bank: a board-of-education office that arranges delivery lectures, approved
registrations and a menu topic, all built through the services."""

import datetime as dt
import itertools

import pytest

from manabiya.catalog.models import Audience, Category
from manabiya.core.models import Organization, User
from manabiya.talent import services

from ..conftest import future

_numbers = itertools.count(1)


def make_profile(municipality, *, approve_by=None, user=None, visibility=None, categories=("ict",), **fields):
    """A registration (approved when `approve_by` is a coordinator); every item public unless told."""
    n = next(_numbers)
    user = user or User.objects.create_user(email=f"talent{n}@example.jp", password=None)
    defaults = {
        "name": f"講師 {n}", "name_kana": "コウシ", "is_instructor": True, "is_volunteer": False,
        "keywords": "スマートフォン パソコン", "qualifications": "", "biography": "", "topics": "スマホ入門",
        "areas": "本町", "weekdays": [0, 1, 2, 3, 4, 5, 6], "times": ["morning", "afternoon", "evening"],
        "fee_policy": "free", "residency": "lives", "contact_email": f"talent{n}@example.jp",
        "contact_phone": f"090-0000-{n:04d}",
    }  # fmt: skip
    profile = services.profile_register(
        user=user,
        municipality=municipality,
        agrees_to_rules=True,
        categories=[Category.objects.get(slug=slug) for slug in categories],
        audiences=[Audience.objects.get(slug="seniors")],
        visibility=visibility if visibility is not None else dict.fromkeys(services.TalentProfile.ITEMS, "public"),
        **{**defaults, **fields},
    )
    if approve_by is not None:
        profile = services.profile_decide(actor=approve_by, profile=profile, approve=True)
    return profile


@pytest.fixture
def board(koganei, make_organization):
    """The office that publishes the menu and arranges citizens' lectures (生涯学習課)."""
    return make_organization(koganei, "小金井市生涯学習課", kind=Organization.Kind.CITY_DEPARTMENT)


@pytest.fixture
def lecturer(koganei, coordinator):
    return make_profile(koganei, approve_by=coordinator, name="山田 花子")


@pytest.fixture
def topic(board, coordinator):
    return services.topic_save(
        actor=coordinator,
        provider=board,
        title="はじめてのスマートフォン",
        description="電話のかけ方から写真の送り方まで。",
        category=Category.objects.get(slug="ict"),
        audience="高齢者",
        duration_minutes=90,
        min_group_size=10,
    )


@pytest.fixture
def group_leader(db):
    return User.objects.create_user(email="chokai@example.jp", password="correct horse battery")


def request_lecture(topic, user, *, days=30, hour=10, expected=15, dates=None, **fields):
    if dates is None:
        start = future(days, hour)
        dates = [(start, start + dt.timedelta(hours=2))]
    defaults = {
        "group_name": "本町三丁目町会", "group_kind": "neighbourhood", "contact_name": "町会 長",
        "contact_email": user.email, "contact_phone": "042-111-2222", "place": "本町 町会会館",
        "expected_attendance": expected, "purpose": "高齢者の会員がスマホを使えるように",
    }  # fmt: skip
    return services.request_submit(user=user, topic=topic, dates=dates, agrees_to_rules=True, **{**defaults, **fields})


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """`with sending(): …` runs what the services schedule for after their commit (the emails), as
    the commit would; a test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
