import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manabiya.catalog.models import LearningOpportunity, Session, Status, Venue
from manabiya.catalog.selectors import status_history
from manabiya.core import services as core_services
from manabiya.core.models import User

from ..conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def chitose_hall(chitose, make_organization):
    return make_organization(chitose, "千歳市民文化センター")


@pytest.fixture
def chitose_member(chitose_hall):
    user = make_user("staff@chitose-hall.example.jp")
    core_services.membership_add(actor=None, user=user, organization=chitose_hall)
    return user


@pytest.fixture
def chitose_venue(chitose):
    return Venue.objects.create(municipality=chitose, name="千歳市民文化センター", address="北海道千歳市北栄2-2-1")


@pytest.fixture
def submitted(kominkan, provider_member, make_opportunity):
    return make_opportunity(kominkan, provider_member, title="はじめての俳句", status="submitted")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="admin@manabiya.example.jp", password="correct horse battery")


def url(name, *args):
    return reverse(f"catalog:{name}", args=args)


# --- who may enter -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["coordinator_home", "review_queue"])
def test_anonymous_visitor_is_sent_to_log_in(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_visitor_cannot_open_or_decide_a_review(client, submitted):
    for response in (
        client.get(url("review_detail", submitted.pk)),
        client.post(url("opportunity_approve", submitted.pk)),
        client.post(url("opportunity_return", submitted.pk), {"reason": "x"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["citizen", "provider_member"])
def test_people_who_do_not_coordinate_get_403(client, request, submitted, who):
    """Citizens and provider members (even the submitter) cannot open the coordination pages."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("coordinator_home")).status_code == 403
    assert client.get(url("review_queue")).status_code == 403
    assert client.get(url("review_detail", submitted.pk)).status_code == 403
    assert client.post(url("opportunity_approve", submitted.pk), {"note": ""}).status_code == 403
    assert client.post(url("opportunity_return", submitted.pk), {"reason": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_coordinator_of_another_municipality_gets_403(client, submitted, chitose_coordinator):
    """小金井市's submission is not 千歳市's coordinator's to see or decide."""
    client.force_login(chitose_coordinator)
    assert client.get(url("review_detail", submitted.pk)).status_code == 403
    assert client.post(url("opportunity_approve", submitted.pk), {"note": ""}).status_code == 403
    assert client.post(url("opportunity_return", submitted.pk), {"reason": "直して"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert list(client.get(url("review_queue")).context["page"]) == []


def test_unknown_opportunity_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(url("review_detail", 999999)).status_code == 404
    assert client.post(url("opportunity_approve", 999999)).status_code == 404


def test_decisions_are_post_only(client, coordinator, submitted):
    client.force_login(coordinator)
    assert client.get(url("opportunity_approve", submitted.pk)).status_code == 405
    assert client.get(url("opportunity_return", submitted.pk)).status_code == 405


# --- the queue -----------------------------------------------------------------------------------


def test_queue_lists_own_submissions_oldest_first(
    client,
    coordinator,
    kominkan,
    provider_member,
    chitose_hall,
    chitose_member,
    chitose_venue,
    make_opportunity,
):
    """Only submissions of the coordinator's municipality, the longest-waiting first; drafts stay out."""
    make_opportunity(kominkan, provider_member, title="新しい申請", status="submitted")
    older = make_opportunity(kominkan, provider_member, title="古い申請", status="submitted")
    LearningOpportunity.objects.filter(pk=older.pk).update(status_changed_at=timezone.now() - dt.timedelta(days=3))
    make_opportunity(kominkan, provider_member, title="下書き")
    make_opportunity(chitose_hall, chitose_member, title="千歳の申請", status="submitted", venue=chitose_venue)
    client.force_login(coordinator)
    response = client.get(url("review_queue"))
    assert response.status_code == 200
    assert [o.title for o in response.context["page"]] == ["古い申請", "新しい申請"]
    html = response.content.decode()
    assert "小金井市公民館本館" in html
    assert reverse("catalog:review_detail", args=[older.pk]) in html
    assert "千歳の申請" not in html and "下書き" not in html
    assert response.context["show_municipality"] is False


def test_queue_query_count_does_not_grow_with_rows(
    client, coordinator, kominkan, provider_member, make_opportunity, django_assert_max_num_queries
):
    make_opportunity(kominkan, provider_member, title="講座 0", status="submitted")
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as one_row:
        client.get(url("review_queue"))
    for n in range(1, 6):
        make_opportunity(kominkan, provider_member, title=f"講座 {n}", status="submitted")
    with django_assert_max_num_queries(len(one_row)):
        response = client.get(url("review_queue"))
    assert len(response.context["page"]) == 6


def test_empty_queue_says_so(client, coordinator):
    client.force_login(coordinator)
    response = client.get(url("review_queue"))
    assert response.status_code == 200
    assert "Nothing is waiting for review." in response.content.decode()


def test_superuser_sees_every_municipalitys_submissions(
    client, superuser, submitted, chitose_hall, chitose_member, chitose_venue, make_opportunity
):
    chitose_one = make_opportunity(
        chitose_hall, chitose_member, title="千歳の申請", status="submitted", venue=chitose_venue
    )
    client.force_login(superuser)
    response = client.get(url("review_queue"))
    assert {o.pk for o in response.context["page"]} == {submitted.pk, chitose_one.pk}
    assert response.context["show_municipality"] is True


# --- the review page -----------------------------------------------------------------------------


def test_review_page_shows_opportunity_history_and_both_forms(client, coordinator, submitted):
    client.force_login(coordinator)
    response = client.get(url("review_detail", submitted.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "はじめての俳句" in html
    assert "小金井市公民館本館" in html
    assert [str(row.label) for row in response.context["history"]] == [
        "Created as a draft",
        "Submitted for review",
    ]
    assert f'action="{url("opportunity_approve", submitted.pk)}"' in html
    assert f'action="{url("opportunity_return", submitted.pk)}"' in html
    assert 'name="reason"' in html and 'name="note"' in html


def test_review_page_of_a_decided_opportunity_has_no_forms(client, coordinator, submitted):
    client.force_login(coordinator)
    client.post(url("opportunity_approve", submitted.pk), {"note": ""})
    response = client.get(url("review_detail", submitted.pk))
    assert response.status_code == 200
    assert response.context["awaiting_review"] is False
    assert url("opportunity_approve", submitted.pk) not in response.content.decode()


# --- deciding ------------------------------------------------------------------------------------


def test_approve_publishes_and_keeps_the_note(client, coordinator, submitted):
    client.force_login(coordinator)
    response = client.post(url("opportunity_approve", submitted.pk), {"note": "内容確認済み"}, follow=True)
    assert response.redirect_chain[-1][0] == url("review_queue")
    submitted.refresh_from_db()
    assert submitted.status == Status.PUBLISHED
    last = status_history(opportunity=submitted).last()
    assert (last.action, last.actor, last.reason) == ("opportunity.approve", coordinator, "内容確認済み")
    (message,) = response.context["messages"]
    assert "はじめての俳句" in str(message)


def test_return_needs_a_reason(client, coordinator, submitted):
    """An empty reason is refused next to its field, and the submission keeps waiting."""
    client.force_login(coordinator)
    response = client.post(url("opportunity_return", submitted.pk), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["return_form"].errors["reason"]
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_return_sends_it_back_with_the_reason(client, coordinator, submitted):
    client.force_login(coordinator)
    response = client.post(url("opportunity_return", submitted.pk), {"reason": "会場の住所を書いてください"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert status_history(opportunity=submitted).last().reason == "会場の住所を書いてください"


def test_refused_approval_shows_the_rule_and_keeps_the_note(client, coordinator, submitted):
    """A rule the service refuses (here: no dates left) appears on the approve form, note kept."""
    Session.objects.filter(opportunity=submitted).delete()
    client.force_login(coordinator)
    response = client.post(url("opportunity_approve", submitted.pk), {"note": "確認しました"})
    assert response.status_code == 200
    form = response.context["approve_form"]
    assert form.non_field_errors() == ["Add at least one date."]
    assert form["note"].value() == "確認しました"
    html = response.content.decode()
    assert "Add at least one date." in html and "確認しました" in html
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_deciding_twice_is_refused_on_the_form(client, coordinator, submitted):
    """When a colleague decided first, the second decision shows why it cannot be made."""
    client.force_login(coordinator)
    client.post(url("opportunity_approve", submitted.pk), {"note": ""})
    response = client.post(url("opportunity_return", submitted.pk), {"reason": "やっぱり直して"})
    assert response.status_code == 200
    assert response.context["return_form"].non_field_errors()
    assert "やっぱり直して" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.PUBLISHED


# --- overview ------------------------------------------------------------------------------------


def test_overview_counts_own_municipality_by_status(
    client, coordinator, submitted, kominkan, provider_member, chitose_hall, chitose_member, chitose_venue,
    make_opportunity,
):  # fmt: skip
    make_opportunity(kominkan, provider_member, title="下書き")
    make_opportunity(chitose_hall, chitose_member, title="千歳", status="submitted", venue=chitose_venue)
    client.force_login(coordinator)
    response = client.get(url("coordinator_home"))
    assert response.status_code == 200
    (row,) = response.context["overview"]
    assert row.municipality.name == "小金井市"
    counts = {c.status: c.count for c in row.counts}
    assert counts[Status.DRAFT] == 1 and counts[Status.SUBMITTED] == 1 and counts[Status.PUBLISHED] == 0
    assert row.total == 2
    assert response.context["awaiting"] == 1
    html = response.content.decode()
    assert url("review_queue") in html
    assert reverse("admin:core_organization_changelist") in html


def test_history_names_imports_and_publication_without_review(coordinator, kominkan, make_organization):
    """Every audited workflow step has a label: an import, and a trusted organization's submit."""
    from manabiya.catalog import services
    from manabiya.catalog.selectors import HISTORY_LABELS, status_history_rows
    from manabiya.core.audit import log_action
    from manabiya.core.services import membership_add

    from ..conftest import future, make_user

    library = make_organization(kominkan.municipality, "小金井市立図書館", trusted=True)
    member = make_user("lib@example.jp")
    membership_add(actor=None, user=member, organization=library)
    opportunity = services.opportunity_create(
        actor=member, provider=library, title="読み聞かせ会", venue=None, format="online",
        online_url="https://example.jp/live", sessions=[services.SessionSpec(starts_at=future(3))],
    )  # fmt: skip
    services.opportunity_submit(actor=member, opportunity=opportunity)
    log_action(actor=None, action="opportunity.import", target=opportunity, data={"to": "published"})
    labels = [str(row.label) for row in status_history_rows(opportunity=opportunity)]
    assert labels == [
        str(HISTORY_LABELS["opportunity.create"]),
        str(HISTORY_LABELS["opportunity.submit.published"]),
        str(HISTORY_LABELS["opportunity.import"]),
    ]
