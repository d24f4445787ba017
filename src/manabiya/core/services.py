"""Writes for municipalities, organizations and roles."""

from django.db import transaction
from django.utils.translation import gettext as _

from .audit import log_action
from .errors import RuleViolation
from .japan import is_valid_local_government_code, normalize_local_government_code, prefecture_for_code
from .models import CoordinatorAssignment, Membership, Municipality, Organization, User


def municipality_get_or_create(*, code: str, name: str, prefecture: str = "", name_kana: str = "") -> Municipality:
    code = normalize_local_government_code(code)
    if not is_valid_local_government_code(code):
        raise RuleViolation(_("%(code)s is not a valid local government code.") % {"code": code}, field="code")
    municipality, _created = Municipality.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "name_kana": name_kana,
            "prefecture": prefecture or prefecture_for_code(code),
        },
    )
    return municipality


@transaction.atomic
def organization_create(
    *,
    actor: User | None,
    municipality: Municipality,
    name: str,
    kind: str,
    name_kana: str = "",
    description: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    website: str = "",
    trusted: bool = False,
) -> Organization:
    if Organization.objects.filter(municipality=municipality, name=name).exists():
        raise RuleViolation(
            _("An organization named %(name)s already exists in %(municipality)s.")
            % {"name": name, "municipality": municipality.name},
            field="name",
        )
    organization = Organization.objects.create(
        municipality=municipality,
        name=name,
        name_kana=name_kana,
        kind=kind,
        description=description,
        contact_email=contact_email,
        contact_phone=contact_phone,
        website=website,
        trusted=trusted,
    )
    log_action(actor=actor, action="organization.create", target=organization, municipality=municipality)
    return organization


@transaction.atomic
def membership_add(*, actor: User | None, user: User, organization: Organization) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, organization=organization)
    if created:
        log_action(
            actor=actor,
            action="membership.add",
            target=organization,
            municipality=organization.municipality,
            data={"user": user.email},
        )
    return membership


@transaction.atomic
def coordinator_assign(*, actor: User | None, user: User, municipality: Municipality) -> CoordinatorAssignment:
    """Make `user` a coordinator; coordinators use the scoped Django admin, so they become staff."""
    assignment, created = CoordinatorAssignment.objects.get_or_create(user=user, municipality=municipality)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if created:
        log_action(
            actor=actor,
            action="coordinator.assign",
            target=municipality,
            municipality=municipality,
            data={"user": user.email},
        )
    return assignment


@transaction.atomic
def coordinator_unassign(*, actor: User | None, user: User, municipality: Municipality) -> None:
    """End `user`'s coordination of `municipality`; with none left they lose admin access."""
    deleted, _ = CoordinatorAssignment.objects.filter(user=user, municipality=municipality).delete()
    if not deleted:
        return
    if not user.is_superuser and not user.coordinator_assignments.exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    log_action(
        actor=actor,
        action="coordinator.unassign",
        target=municipality,
        municipality=municipality,
        data={"user": user.email},
    )
