import datetime as dt
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.test import override_settings
from django.utils import timezone

from manabiya.catalog import selectors
from manabiya.catalog.demo.region import ACCOUNTS, DEMO_PASSWORD
from manabiya.catalog.demo.synthetic import synthetic_municipalities
from manabiya.catalog.models import LOCAL_ZONE, LearningOpportunity, Session, Status, time_of_day_for
from manabiya.core.audit import history_for
from manabiya.core.models import Municipality, User

pytestmark = pytest.mark.django_db

FIVE = {
    "132101": "小金井市",
    "132292": "西東京市",
    "132241": "多摩市",
    "132021": "立川市",
    "012246": "千歳市",
}


def load_demo(*args: str) -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_refuses_a_database_that_looks_live(db):
    """With DEBUG off the demo's published superuser password must not reach the database."""
    from django.core.management.base import CommandError

    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(is_superuser=True).exists()


def titles() -> list[str]:
    return list(LearningOpportunity.objects.order_by("municipality__code", "title", "first_starts_at")
                .values_list("title", flat=True))  # fmt: skip


def test_load_demo_builds_the_five_municipalities_catalogue():
    """The demo holds the five real municipalities and a current, mostly published catalogue,
    built through the workflow so that every listing has its audit trail."""
    output = load_demo()

    assert dict(Municipality.objects.filter(code__in=FIVE).values_list("code", "name")) == FIVE
    opportunities = LearningOpportunity.objects.all()
    assert opportunities.filter(status=Status.PUBLISHED).count() >= 200
    for status in (Status.SUBMITTED, Status.RETURNED, Status.CANCELLED):
        assert opportunities.filter(status=status).exists()
    assert opportunities.filter(title="青少年のための科学の祭典 小金井大会").exists()
    assert opportunities.filter(title__startswith="千歳学出前講座").exists()
    assert opportunities.filter(title__startswith="たちかわ市民交流大学").exists()
    # Dated from today: nothing published ends before the past few weeks, most lies ahead.
    today = dt.datetime.combine(timezone.localdate(), dt.time(), LOCAL_ZONE)
    window = opportunities.aggregate(first=Min("first_starts_at"), last=Max("last_ends_at"))
    assert window["first"] > today - dt.timedelta(days=30)
    assert window["last"] < today + dt.timedelta(days=150)
    assert selectors.catalog_search(query=selectors.CatalogQuery()).count() >= 200
    # The workflow was walked: a returned listing carries the coordinator's reason.
    returned = opportunities.filter(status=Status.RETURNED).first()
    assert selectors.latest_reason(opportunity=returned, action="return")
    assert [e.action for e in history_for(returned)][-1] == "opportunity.return"
    assert "Loaded the demo" in output
    # The demo citizen has applications to show on My page.
    from manabiya.registration.models import Application

    assert Application.objects.filter(user__email="citizen@example.jp").count() == 3


def test_demo_listings_awaiting_review_are_invisible_to_the_public():
    """Listings awaiting review, returned or drafted stay out of the public catalogue."""
    load_demo()
    hidden = LearningOpportunity.objects.filter(status__in=[Status.SUBMITTED, Status.RETURNED, Status.DRAFT])
    assert hidden.filter(status=Status.SUBMITTED).count() >= 3
    public = selectors.catalog_search(query=selectors.CatalogQuery())
    assert not set(public.object_ids()) & set(hidden.values_list("pk", flat=True))
    for opportunity in hidden.filter(status=Status.SUBMITTED):
        found = selectors.catalog_search(query=selectors.CatalogQuery(q=opportunity.title))
        assert opportunity.pk not in found.object_ids()
    # The same listing is visible to its provider's coordinator.
    submitted = hidden.filter(status=Status.SUBMITTED).select_related("municipality").first()
    coordinator = User.objects.get(coordinator_assignments__municipality=submitted.municipality)
    assert selectors.opportunity_visible_to(user=coordinator, opportunity_id=submitted.pk) == submitted

    # Every demo account logs in with the published password and a verified primary address.
    output = load_demo()
    for account in ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert EmailAddress.objects.filter(user=user, email=account.email, verified=True, primary=True).exists()
        assert account.email in output
        if account.role == "coordinator":
            assert user.is_staff
            assert user.coordinator_assignments.filter(municipality__code=account.municipality).exists()
        if account.role == "provider":
            assert user.memberships.exists()
    # One hash is shared by all, so checking one account checks them all.
    assert len(set(User.objects.filter(email__in=[a.email for a in ACCOUNTS]).values_list("password"))) == 1
    assert User.objects.get(email=ACCOUNTS[0].email).check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in output


def test_loading_twice_changes_nothing_and_reset_reloads_the_same_catalogue():
    """A second run leaves the demo alone; --reset removes it and loads the same titles again."""
    load_demo()
    first_titles = titles()
    counts = (LearningOpportunity.objects.count(), Session.objects.count(), User.objects.count())

    output = load_demo()
    assert "already loaded" in output
    assert (LearningOpportunity.objects.count(), Session.objects.count(), User.objects.count()) == counts

    load_demo("--reset")
    assert titles() == first_titles
    assert (LearningOpportunity.objects.count(), Session.objects.count(), User.objects.count()) == counts
    assert Municipality.objects.filter(code__in=FIVE).count() == 5


def test_generate_catalog_writes_opportunities_with_valid_sessions():
    """Synthetic opportunities have 1–6 sessions whose derived weekday and time of day match their
    local start, and a window that spans exactly their sessions."""
    call_command("generate_catalog", "--opportunities", "200", "--municipalities", "3", "--seed", "7",
                 "--batch", "64", verbosity=0)  # fmt: skip

    opportunities = LearningOpportunity.objects.filter(municipality__in=synthetic_municipalities())
    assert opportunities.count() == 200
    assert synthetic_municipalities().count() == 3
    annotated = opportunities.annotate(
        n=Count("sessions", distinct=True),
        first=Min("sessions__starts_at"),
        last=Max("sessions__ends_at"),
        n_audiences=Count("audiences", distinct=True),
    )
    for opportunity in annotated:
        assert 1 <= opportunity.n <= 6
        assert opportunity.first_starts_at == opportunity.first
        assert opportunity.last_ends_at == opportunity.last
        assert opportunity.n_audiences >= 1
        assert opportunity.category_id
    for session in Session.objects.filter(opportunity__in=opportunities):
        local = session.starts_at.astimezone(LOCAL_ZONE)
        assert session.weekday == local.isoweekday()
        assert session.time_of_day == time_of_day_for(local)
    assert opportunities.filter(status=Status.PUBLISHED).count() > 150
    assert selectors.catalog_search(query=selectors.CatalogQuery(q="教室")).exists()


def test_generate_catalog_is_repeatable_and_reset_removes_it():
    """The same seed writes the same titles; --reset removes every synthetic row."""
    call_command("generate_catalog", "--opportunities", "50", "--seed", "3", verbosity=0)
    first = list(LearningOpportunity.objects.order_by("pk").values_list("title", flat=True))
    call_command("generate_catalog", "--opportunities", "50", "--seed", "3", "--reset", verbosity=0)
    assert list(LearningOpportunity.objects.order_by("pk").values_list("title", flat=True)) == first

    call_command("generate_catalog", "--opportunities", "0", "--reset", verbosity=0)
    assert not synthetic_municipalities().exists()
    assert not LearningOpportunity.objects.exists()
