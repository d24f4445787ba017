"""Reads about people and their roles. Every permission question asks these."""

from django.db.models import Q, QuerySet

from .models import Municipality, Organization


def _is_person(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def coordinated_municipalities(*, user) -> QuerySet[Municipality]:
    """Municipalities the user coordinates; a superuser coordinates all."""
    if not _is_person(user):
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(coordinators__user=user)


def member_organizations(*, user) -> QuerySet[Organization]:
    """Organizations the user acts for as a provider member."""
    if not _is_person(user):
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).select_related("municipality")


def is_coordinator_of(*, user, municipality_id: int) -> bool:
    if not _is_person(user):
        return False
    if user.is_superuser:
        return True
    return user.coordinator_assignments.filter(municipality_id=municipality_id).exists()


def is_member_of(*, user, organization_id: int) -> bool:
    if not _is_person(user):
        return False
    return user.memberships.filter(organization_id=organization_id).exists()


def can_manage_organization(*, user, organization: Organization) -> bool:
    """Members act for their organization; coordinators for every one in their municipality."""
    return is_member_of(user=user, organization_id=organization.pk) or is_coordinator_of(
        user=user, municipality_id=organization.municipality_id
    )


def manageable_organizations(*, user) -> QuerySet[Organization]:
    """The organizations `can_manage_organization` lets the user act for: their own, and every one of
    the municipalities they coordinate."""
    if not _is_person(user):
        return Organization.objects.none()
    return (
        Organization.objects.filter(
            Q(memberships__user=user) | Q(municipality__in=coordinated_municipalities(user=user))
        )
        .distinct()
        .select_related("municipality")
        .order_by("municipality__code", "name_kana", "name")
    )


def user_roles(*, user) -> dict[str, bool]:
    if not _is_person(user):
        return {"is_provider": False, "is_coordinator": False}
    return {
        "is_provider": user.memberships.exists(),
        "is_coordinator": user.is_superuser or user.coordinator_assignments.exists(),
    }
