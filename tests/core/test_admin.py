"""The Django admin, scoped: a coordinator works on their own municipality's records only."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manabiya.catalog.models import Category, LearningOpportunity, Status, Venue
from manabiya.core.models import AuditEntry, CoordinatorAssignment, Membership, Organization, User

from ..conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="admin@manabiya.example.jp", password="correct horse battery")


@pytest.fixture
def chitose_hall(chitose, make_organization):
    return make_organization(chitose, "千歳市民文化センター")


@pytest.fixture
def chitose_venue(chitose):
    return Venue.objects.create(municipality=chitose, name="千歳市民文化センター", address="北海道千歳市北栄2-2-1")


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


def admin_url(model: str, action: str = "changelist", *args) -> str:
    app = {
        "organization": "core", "membership": "core", "coordinatorassignment": "core", "municipality": "core",
        "user": "core", "auditentry": "core",
    }.get(model, "catalog")  # fmt: skip
    return reverse(f"admin:{app}_{model}_{action}", args=args)


def form_data(response, **changes) -> dict:
    """What the browser would post back from an admin add/change page, with `changes` applied."""
    page_forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        page_forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in page_forms:
        for bound in form:
            if isinstance(bound.field, forms.FileField):
                continue
            value = bound.field.prepare_value(bound.value())
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)
    data.update(changes)
    return data


def changelist_rows(response) -> list:
    return list(response.context["cl"].result_list)


# --- who enters the admin ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["provider_member", "citizen"])
def test_people_who_are_not_staff_cannot_enter(client, request, who):
    """A provider member or citizen (not staff) is sent to the admin login, however they come in."""
    client.force_login(request.getfixturevalue(who))
    for path in (reverse("admin:index"), admin_url("organization"), admin_url("venue")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_coordinator_index_lists_their_tools_but_not_accounts(as_coordinator):
    response = as_coordinator.get(reverse("admin:index"))
    assert response.status_code == 200
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Organization", "Membership", "Venue", "Category", "AuditEntry", "LearningOpportunity"} <= models
    assert "User" not in models and "Group" not in models
    assert as_coordinator.get(admin_url("user")).status_code == 403


def test_staff_without_a_role_sees_nothing(client, kominkan):
    """is_staff alone grants nothing: model permissions are not how this project gives access."""
    client.force_login(make_user("former@city.example.jp", is_staff=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []
    assert client.get(admin_url("organization")).status_code == 403


# --- organizations and venues --------------------------------------------------------------------


def test_coordinator_sees_only_own_organizations_and_venues(
    as_coordinator, kominkan, chitose_hall, venue, chitose_venue
):
    orgs = changelist_rows(as_coordinator.get(admin_url("organization")))
    assert orgs == [kominkan]
    venues = changelist_rows(as_coordinator.get(admin_url("venue")))
    assert venues == [venue]


def test_superuser_sees_every_municipality(client, superuser, kominkan, chitose_hall):
    client.force_login(superuser)
    assert set(changelist_rows(client.get(admin_url("organization")))) == {kominkan, chitose_hall}


def test_other_municipalitys_objects_answer_403(as_coordinator, chitose_hall, chitose_venue):
    for path in (
        admin_url("organization", "change", chitose_hall.pk),
        admin_url("organization", "delete", chitose_hall.pk),
        admin_url("organization", "history", chitose_hall.pk),
        admin_url("venue", "change", chitose_venue.pk),
    ):
        assert as_coordinator.get(path).status_code == 403, path
    response = as_coordinator.post(admin_url("venue", "change", chitose_venue.pk), {"name": "乗っ取り"})
    assert response.status_code == 403
    chitose_venue.refresh_from_db()
    assert chitose_venue.name == "千歳市民文化センター"


def test_coordinator_adds_a_venue_in_own_municipality(as_coordinator, koganei):
    page = as_coordinator.get(admin_url("venue", "add"))
    assert page.context["adminform"].form.initial["municipality"] == koganei.pk
    assert list(page.context["adminform"].form.fields["municipality"].queryset) == [koganei]
    response = as_coordinator.post(admin_url("venue", "add"), form_data(page, name="貫井北センター"))
    assert response.status_code == 302
    created = Venue.objects.get(name="貫井北センター")
    assert created.municipality == koganei
    entry = AuditEntry.objects.get(action="admin.add", object_id=str(created.pk))
    assert entry.municipality == koganei


def test_coordinator_cannot_create_a_venue_in_another_municipality(as_coordinator, chitose):
    page = as_coordinator.get(admin_url("venue", "add"))
    response = as_coordinator.post(
        admin_url("venue", "add"), form_data(page, name="千歳の新会場", municipality=str(chitose.pk))
    )
    assert response.status_code == 200
    assert "municipality" in response.context["adminform"].form.errors
    assert not Venue.objects.filter(name="千歳の新会場").exists()


def test_coordinator_cannot_move_a_venue_to_another_municipality(as_coordinator, venue, chitose, koganei):
    page = as_coordinator.get(admin_url("venue", "change", venue.pk))
    response = as_coordinator.post(
        admin_url("venue", "change", venue.pk), form_data(page, municipality=str(chitose.pk))
    )
    assert response.status_code == 200
    venue.refresh_from_db()
    assert venue.municipality == koganei


def test_coordinator_edits_own_organization_and_it_is_audited(as_coordinator, kominkan, koganei, coordinator):
    page = as_coordinator.get(admin_url("organization", "change", kominkan.pk))
    response = as_coordinator.post(admin_url("organization", "change", kominkan.pk), form_data(page, trusted="on"))
    assert response.status_code == 302
    kominkan.refresh_from_db()
    assert kominkan.trusted
    entry = AuditEntry.objects.get(action="admin.change", object_id=str(kominkan.pk))
    assert (entry.actor, entry.municipality) == (coordinator, koganei)


def test_coordinator_adds_an_organization_only_in_own_municipality(as_coordinator, koganei, chitose):
    page = as_coordinator.get(admin_url("organization", "add"))
    data = form_data(page, name="小金井市民大学", kind=Organization.Kind.CITY_DEPARTMENT)
    assert as_coordinator.post(admin_url("organization", "add"), data).status_code == 302
    assert Organization.objects.get(name="小金井市民大学").municipality == koganei
    data.update(name="千歳の団体", municipality=str(chitose.pk))
    refused = as_coordinator.post(admin_url("organization", "add"), data)
    assert "municipality" in refused.context["adminform"].form.errors
    assert not Organization.objects.filter(name="千歳の団体").exists()


# --- memberships and coordinators ----------------------------------------------------------------


def test_coordinator_adds_a_member_by_email(as_coordinator, kominkan, citizen):
    page = as_coordinator.get(admin_url("membership", "add"))
    assert list(page.context["adminform"].form.fields["organization"].queryset) == [kominkan]
    data = form_data(page, organization=str(kominkan.pk), user_email="TARO@example.jp")
    assert as_coordinator.post(admin_url("membership", "add"), data).status_code == 302
    assert Membership.objects.filter(user=citizen, organization=kominkan).exists()
    # The same person twice is refused on the form, not by the database.
    response = as_coordinator.post(admin_url("membership", "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()


def test_membership_needs_an_existing_account_and_an_own_organization(as_coordinator, kominkan, chitose_hall, citizen):
    page = as_coordinator.get(admin_url("membership", "add"))
    unknown = as_coordinator.post(
        admin_url("membership", "add"),
        form_data(page, organization=str(kominkan.pk), user_email="nobody@example.jp"),
    )
    assert "user_email" in unknown.context["adminform"].form.errors
    elsewhere = as_coordinator.post(
        admin_url("membership", "add"),
        form_data(page, organization=str(chitose_hall.pk), user_email=citizen.email),
    )
    assert "organization" in elsewhere.context["adminform"].form.errors
    assert not Membership.objects.filter(user=citizen).exists()


def test_coordinator_removes_a_member_and_it_is_audited(as_coordinator, provider_member, kominkan, koganei):
    membership = Membership.objects.get(user=provider_member, organization=kominkan)
    assert as_coordinator.get(admin_url("membership", "change", membership.pk)).status_code == 200
    response = as_coordinator.post(admin_url("membership", "delete", membership.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(action="admin.delete", object_id=str(membership.pk))
    assert entry.municipality == koganei


def test_coordinator_sees_colleagues_but_cannot_appoint(as_coordinator, coordinator, chitose_coordinator):
    rows = changelist_rows(as_coordinator.get(admin_url("coordinatorassignment")))
    assert [a.user for a in rows] == [coordinator]
    assert as_coordinator.get(admin_url("coordinatorassignment", "add")).status_code == 403


def test_superuser_appoints_a_coordinator_who_becomes_staff(client, superuser, koganei, citizen):
    client.force_login(superuser)
    page = client.get(admin_url("coordinatorassignment", "add"))
    data = form_data(page, municipality=str(koganei.pk), user_email=citizen.email)
    assert client.post(admin_url("coordinatorassignment", "add"), data).status_code == 302
    citizen.refresh_from_db()
    assert citizen.is_staff
    assert CoordinatorAssignment.objects.filter(user=citizen, municipality=koganei).exists()
    assert AuditEntry.objects.filter(action="coordinator.assign", actor=superuser).count() == 1


def test_superuser_creates_an_account_by_email(client, superuser):
    client.force_login(superuser)
    page = client.get(admin_url("user", "add"))
    data = form_data(page, email="new@city.example.jp", usable_password="true",
                     password1="a long enough passphrase", password2="a long enough passphrase")  # fmt: skip
    response = client.post(admin_url("user", "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = User.objects.get(email="new@city.example.jp")
    assert created.check_password("a long enough passphrase")
    assert client.get(admin_url("user", "change", created.pk)).status_code == 200


# --- opportunities, reference data, audit log ----------------------------------------------------


def test_coordinator_reads_opportunities_but_cannot_change_them(
    as_coordinator, kominkan, provider_member, make_opportunity
):
    opportunity = make_opportunity(kominkan, provider_member, status="submitted")
    listed = as_coordinator.get(admin_url("learningopportunity"))
    assert changelist_rows(listed) == [opportunity]
    assert reverse("catalog:review_detail", args=[opportunity.pk]) in listed.content.decode()
    assert as_coordinator.get(admin_url("learningopportunity", "change", opportunity.pk)).status_code == 200
    response = as_coordinator.post(admin_url("learningopportunity", "change", opportunity.pk), {"title": "変更"})
    assert response.status_code == 403
    assert as_coordinator.get(admin_url("learningopportunity", "add")).status_code == 403


def test_status_is_read_only_even_for_a_superuser(client, superuser, kominkan, provider_member, make_opportunity):
    opportunity = make_opportunity(kominkan, provider_member, status="submitted")
    client.force_login(superuser)
    page = client.get(admin_url("learningopportunity", "change", opportunity.pk))
    assert "status" not in page.context["adminform"].form.fields
    response = client.post(
        admin_url("learningopportunity", "change", opportunity.pk),
        form_data(page, title="はじめてのスマホ", status=Status.PUBLISHED),
    )
    assert response.status_code == 302
    opportunity = LearningOpportunity.objects.get(pk=opportunity.pk)
    assert (opportunity.title, opportunity.status) == ("はじめてのスマホ", Status.SUBMITTED)


def test_coordinator_adds_reference_data_but_does_not_delete_it(as_coordinator):
    page = as_coordinator.get(admin_url("category", "add"))
    response = as_coordinator.post(admin_url("category", "add"), form_data(page, slug="shogi", name="将棋", order="9"))
    assert response.status_code == 302
    shogi = Category.objects.get(slug="shogi")
    assert as_coordinator.get(admin_url("category", "delete", shogi.pk)).status_code == 403
    assert as_coordinator.get(admin_url("audience")).status_code == 200
    assert as_coordinator.get(admin_url("accessibilityfeature")).status_code == 200


def test_audit_log_is_read_only_and_scoped(as_coordinator, kominkan, chitose_hall):
    rows = changelist_rows(as_coordinator.get(admin_url("auditentry")))
    assert rows and {e.municipality.name for e in rows} == {"小金井市"}
    other = AuditEntry.objects.get(action="organization.create", object_id=str(chitose_hall.pk))
    assert as_coordinator.get(admin_url("auditentry", "change", other.pk)).status_code == 403
    own = rows[0]
    assert as_coordinator.get(admin_url("auditentry", "change", own.pk)).status_code == 200
    assert as_coordinator.get(admin_url("auditentry", "delete", own.pk)).status_code == 403
    assert as_coordinator.get(admin_url("auditentry", "add")).status_code == 403


def test_organization_list_query_count_is_flat(
    as_coordinator, koganei, make_organization, django_assert_max_num_queries
):
    for n in range(3):
        make_organization(koganei, f"団体{n}")
    with CaptureQueriesContext(connection) as few:
        as_coordinator.get(admin_url("organization"))
    for n in range(3, 12):
        make_organization(koganei, f"団体{n}")
    with django_assert_max_num_queries(len(few)):
        assert len(changelist_rows(as_coordinator.get(admin_url("organization")))) == 12
    assert Organization.objects.count() == 12
