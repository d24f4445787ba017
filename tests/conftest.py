"""Shared fixtures. Data is built by calling the real services, as the product does."""

import datetime as dt

import pytest
from django.utils import timezone

from manabiya.catalog import services as catalog_services
from manabiya.catalog.models import Audience, Category, Venue
from manabiya.core import services as core_services
from manabiya.core.models import Organization, User


@pytest.fixture(autouse=True)
def _english_free_defaults(settings):
    # Every email goes through the outbox, as in production, and is delivered to Django's test outbox.
    settings.EMAIL_BACKEND = "manabiya.core.mail.OutboxBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Each test starts with an empty cache of its own; a test of the shared (database) cache sets it.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    cache.clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def koganei(db):
    return core_services.municipality_get_or_create(code="132101", name="小金井市")


@pytest.fixture
def chitose(db):
    return core_services.municipality_get_or_create(code="012246", name="千歳市")


def make_user(email: str, **extra) -> User:
    return User.objects.create_user(email=email, password="correct horse battery", **extra)


@pytest.fixture
def make_organization():
    def _make(municipality, name: str, *, trusted: bool = False, kind: str = Organization.Kind.KOMINKAN):
        return core_services.organization_create(
            actor=None, municipality=municipality, name=name, kind=kind, trusted=trusted
        )

    return _make


@pytest.fixture
def kominkan(koganei, make_organization):
    return make_organization(koganei, "小金井市公民館本館")


@pytest.fixture
def other_provider(koganei, make_organization):
    return make_organization(koganei, "NPO法人こがねい子ども劇場", kind=Organization.Kind.NPO)


@pytest.fixture
def provider_member(kominkan):
    user = make_user("staff@kominkan.example.jp", display_name="公民館 職員")
    core_services.membership_add(actor=None, user=user, organization=kominkan)
    return user


@pytest.fixture
def other_member(other_provider):
    user = make_user("staff@npo.example.jp")
    core_services.membership_add(actor=None, user=user, organization=other_provider)
    return user


@pytest.fixture
def coordinator(koganei):
    user = make_user("shogai@city.koganei.example.jp")
    core_services.coordinator_assign(actor=None, user=user, municipality=koganei)
    return user


@pytest.fixture
def chitose_coordinator(chitose):
    user = make_user("shogai@city.chitose.example.jp")
    core_services.coordinator_assign(actor=None, user=user, municipality=chitose)
    return user


@pytest.fixture
def citizen(db):
    return make_user("taro@example.jp")


@pytest.fixture
def venue(koganei):
    return Venue.objects.create(
        municipality=koganei, name="小金井市公民館本館", name_kana="こがねいしこうみんかんほんかん",
        address="東京都小金井市本町1-2-3",
    )  # fmt: skip


def local(year, month, day, hour=10, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def future(days: int = 7, hour: int = 10) -> dt.datetime:
    base = timezone.localtime() + dt.timedelta(days=days)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def make_opportunity(venue):
    """Create an opportunity through the services; `status` drives it along the workflow."""

    def _make(provider, actor, *, title="スマートフォン活用講座", status="draft", sessions=None, **fields):
        if sessions is None:
            start = future(7)
            sessions = [catalog_services.SessionSpec(starts_at=start, ends_at=start + dt.timedelta(hours=2))]
        fields.setdefault("venue", venue if venue.municipality_id == provider.municipality_id else None)
        fields.setdefault("category", Category.objects.get(slug="ict"))
        audiences = fields.pop("audiences", [Audience.objects.get(slug="seniors")])
        opportunity = catalog_services.opportunity_create(
            actor=actor, provider=provider, title=title, sessions=sessions, audiences=audiences, **fields
        )
        if status in ("submitted", "published", "cancelled"):
            opportunity = catalog_services.opportunity_submit(actor=actor, opportunity=opportunity)
        if status in ("published", "cancelled") and opportunity.status == "submitted":
            coordinator = User.objects.filter(coordinator_assignments__municipality=provider.municipality).first()
            if coordinator is None:
                coordinator = make_user(f"coord-{provider.municipality.code}@example.jp")
                core_services.coordinator_assign(actor=None, user=coordinator, municipality=provider.municipality)
            opportunity = catalog_services.opportunity_approve(actor=coordinator, opportunity=opportunity)
        if status == "cancelled":
            opportunity = catalog_services.opportunity_cancel(
                actor=actor, opportunity=opportunity, reason="講師急病のため"
            )
        return opportunity

    return _make


@pytest.fixture
def english(settings):
    """Run in English, so assertions can quote messages whatever the Japanese catalogue says."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
