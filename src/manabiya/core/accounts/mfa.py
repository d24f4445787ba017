"""Who must log in with a second factor, and who has one.

A municipality that sets `staff_mfa_required` asks it of its coordinators and of its facility staff: the
members of an organization that operates one of its facilities (`facilities.Facility.operator`, the staff
`facilities.services.can_manage_facility` lets in besides coordinators). A superuser coordinates every
municipality (`core.selectors.coordinated_municipalities`), so one municipality asking is enough for them.
"""

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.db.models import Q

from ..models import Municipality

# Recovery codes only stand in for a lost authenticator; allauth deletes them with the last one.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def second_factor_required(user) -> bool:
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    asking = Municipality.objects.filter(staff_mfa_required=True)
    if user.is_superuser:
        return asking.exists()
    who = Q(coordinators__user=user)
    if apps.is_installed("manabiya.facilities"):
        # Named through the reverse relations so that core needs no import of the facilities app.
        who |= Q(facilities__operator__memberships__user=user)
    return asking.filter(who).exists()


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def must_set_up_second_factor(user) -> bool:
    return second_factor_required(user) and not has_second_factor(user)
