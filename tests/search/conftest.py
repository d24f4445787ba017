"""Fixtures for the search tests: opportunities published through the real services, and helpers
that ask the catalogue's search what a citizen would see."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.utils import timezone

from manabiya.catalog import services as catalog_services
from manabiya.catalog.models import Audience, Category, LearningOpportunity, Venue
from manabiya.catalog.selectors import CatalogQuery, catalog_search
from manabiya.core import services as core_services
from manabiya.core.models import Organization, User
from manabiya.search.documents import DATE_LEVELS, WEEK_MINUTES, date_tags
from manabiya.search.models import starts_key_of

KOGANEI = "132101"
CHITOSE = "012246"


@dataclass
class World:
    """Two municipalities, each with a trusted provider (its submissions publish at once), a
    member who acts for it, and a venue."""

    municipalities: dict[str, object]
    providers: dict[str, Organization]
    members: dict[str, User]
    venues: dict[str, Venue]


def build_world() -> World:
    koganei = core_services.municipality_get_or_create(code=KOGANEI, name="小金井市")
    chitose = core_services.municipality_get_or_create(code=CHITOSE, name="千歳市")
    municipalities = {KOGANEI: koganei, CHITOSE: chitose}
    providers = {
        KOGANEI: core_services.organization_create(
            actor=None, municipality=koganei, name="小金井市生涯学習センター", kind=Organization.Kind.KOMINKAN,
            trusted=True,
        ),
        CHITOSE: core_services.organization_create(
            actor=None, municipality=chitose, name="千歳市民文化センター", kind=Organization.Kind.KOMINKAN,
            trusted=True,
        ),
    }  # fmt: skip
    members = {}
    for code, provider in providers.items():
        user = User.objects.create_user(email=f"search-{code}@example.jp", password=None)
        core_services.membership_add(actor=None, user=user, organization=provider)
        members[code] = user
    venues = {
        KOGANEI: Venue.objects.create(municipality=koganei, name="小金井市生涯学習センター", address="東京都小金井市"),
        CHITOSE: Venue.objects.create(municipality=chitose, name="千歳市民文化センター", address="北海道千歳市"),
    }
    return World(municipalities, providers, members, venues)


def on(weekday: int, hour: int = 10, week: int = 1) -> dt.datetime:
    """The `weekday` (ISO, 1 = Monday) of the `week`-th week from now, at `hour` local time."""
    day = timezone.localdate() + dt.timedelta(weeks=week)
    day += dt.timedelta(days=(weekday - day.isoweekday()) % 7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@dataclass
class Spec:
    """One opportunity of a test catalogue, in the terms a provider fills the form in."""

    title: str
    summary: str = ""
    description: str = ""
    category: str = "misc"
    audiences: tuple[str, ...] = ("everyone",)
    municipality: str = KOGANEI
    weekday: int = 2
    hour: int = 10
    week: int = 1
    fee: int = 0
    extra: dict = field(default_factory=dict)

    def sessions(self) -> list[catalog_services.SessionSpec]:
        start = on(self.weekday, self.hour, self.week)
        return [catalog_services.SessionSpec(starts_at=start, ends_at=start + dt.timedelta(hours=2))]


def publish(world: World, spec: Spec) -> LearningOpportunity:
    """Create and submit `spec` as its municipality's trusted provider: it is published at once."""
    member = world.members[spec.municipality]
    opportunity = catalog_services.opportunity_create(
        actor=member,
        provider=world.providers[spec.municipality],
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        category=Category.objects.get(slug=spec.category),
        audiences=list(Audience.objects.filter(slug__in=spec.audiences)),
        venue=world.venues[spec.municipality],
        fee=spec.fee,
        sessions=spec.sessions(),
        **spec.extra,
    )
    opportunity = catalog_services.opportunity_submit(actor=member, opportunity=opportunity)
    assert opportunity.status == "published"
    return opportunity


@pytest.fixture
def world(db) -> World:
    return build_world()


def search(q: str = "", **filters) -> list[int]:
    """The ids of the public search's results for `q`, in the order a citizen sees them."""
    return catalog_search(query=CatalogQuery(q=q, **filters)).object_ids()


def titles(q: str = "", limit: int | None = None, **filters) -> list[str]:
    ids = search(q, **filters)[:limit]
    by_id = dict(LearningOpportunity.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [by_id[pk] for pk in ids]


def fill_documents(weeks: int, per_week: int, word: str = "ほか") -> None:
    """PostgreSQL: documents holding `word` spread evenly over the coming weeks, with their date
    tags, written straight into the index: enough that the planner prefers a text index to
    reading the table, and a smaller text index to the full one."""
    now_key = starts_key_of(timezone.now())
    week_tags = " || ".join(f"' ¤w{level}b' || ((key / {WEEK_MINUTES}) >> {level})" for level in range(DATE_LEVELS))
    with connection.cursor() as cursor:
        insert = (
            "INSERT INTO search_document (kind, object_id, slot_mask, flags, format, starts_key, ends_at, tsv) "  # noqa: S608 (numbers only)
            "SELECT 'opportunity', 1000000 + n, 0, 0, '', key, now() + interval '1 year', "
            f"(%s || {week_tags})::tsvector "
            "FROM (SELECT n, %s + n * %s AS key FROM generate_series(1, %s) AS n) AS filler"
        )
        cursor.execute(insert, [word, now_key, WEEK_MINUTES // per_week, weeks * per_week])
        cursor.execute("SELECT starts_key, tsv::text FROM search_document WHERE object_id = 1000001")
        key, tsv = cursor.fetchone()
        assert all(f"'{tag}'" in tsv for tag in date_tags(key))  # the tags a real document gets
        # The text indexes were created empty and grew by inserts: rebuilt, as after `rebuild`,
        # their statistics tell the planner how large each is.
        cursor.execute("REINDEX TABLE search_document")
