import pytest

from manabiya.core.audit import history_for, log_action
from manabiya.core.errors import RuleViolation
from manabiya.core.selectors import (
    can_manage_organization,
    coordinated_municipalities,
    member_organizations,
    user_roles,
)
from manabiya.core.services import municipality_get_or_create

pytestmark = pytest.mark.django_db


def test_roles_follow_memberships_and_assignments(kominkan, provider_member, coordinator, citizen, chitose):
    assert user_roles(user=citizen) == {"is_provider": False, "is_coordinator": False}
    assert user_roles(user=provider_member)["is_provider"] is True
    assert user_roles(user=coordinator)["is_coordinator"] is True
    assert list(member_organizations(user=provider_member)) == [kominkan]
    assert [m.code for m in coordinated_municipalities(user=coordinator)] == ["132101"]
    assert coordinator.is_staff


def test_coordinator_manages_organizations_of_their_municipality_only(
    kominkan, coordinator, chitose_coordinator, provider_member, other_member
):
    assert can_manage_organization(user=coordinator, organization=kominkan)
    assert can_manage_organization(user=provider_member, organization=kominkan)
    assert not can_manage_organization(user=chitose_coordinator, organization=kominkan)
    assert not can_manage_organization(user=other_member, organization=kominkan)


def test_anonymous_has_no_roles(kominkan):
    from django.contrib.auth.models import AnonymousUser

    assert not can_manage_organization(user=AnonymousUser(), organization=kominkan)
    assert user_roles(user=AnonymousUser()) == {"is_provider": False, "is_coordinator": False}


def test_log_action_records_who_what_why(kominkan, coordinator):
    log_action(actor=coordinator, action="organization.trust", target=kominkan, reason="市の施設", data={"x": 1})
    entry = history_for(kominkan).last()
    assert (entry.actor, entry.action, entry.reason, entry.data) == (
        coordinator,
        "organization.trust",
        "市の施設",
        {"x": 1},
    )


def test_municipality_created_with_prefecture_from_code(db):
    municipality = municipality_get_or_create(code="01224", name="千歳市")
    assert (municipality.code, municipality.prefecture) == ("012246", "北海道")
    with pytest.raises(RuleViolation):
        municipality_get_or_create(code="999999", name="架空市")


def test_unassigned_coordinator_loses_admin_access_only_when_none_left(coordinator, koganei, chitose):
    from manabiya.core.services import coordinator_assign, coordinator_unassign

    coordinator_assign(actor=None, user=coordinator, municipality=chitose)
    coordinator_unassign(actor=None, user=coordinator, municipality=koganei)
    coordinator.refresh_from_db()
    assert coordinator.is_staff
    assert [m.code for m in coordinated_municipalities(user=coordinator)] == ["012246"]
    coordinator_unassign(actor=None, user=coordinator, municipality=chitose)
    coordinator.refresh_from_db()
    assert not coordinator.is_staff
    assert history_for(chitose).filter(action="coordinator.unassign").count() == 1


def test_superuser_deleting_an_assignment_in_the_admin_unassigns(client, coordinator, koganei):
    from django.urls import reverse

    from manabiya.core.models import CoordinatorAssignment, User

    admin_user = User.objects.create_superuser(email="root@example.jp", password="x-long-password-1")
    client.force_login(admin_user)
    assignment = CoordinatorAssignment.objects.get(user=coordinator)
    url = reverse("admin:core_coordinatorassignment_delete", args=[assignment.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    coordinator.refresh_from_db()
    assert not coordinator.is_staff
