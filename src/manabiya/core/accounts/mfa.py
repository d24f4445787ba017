"""Who must log in with a second factor, and who has one.

A municipality that sets `staff_mfa_required` asks it of its coordinators and of its other staff: an
app whose pages have staff of their own (facilities: the members of an organization operating one of
its facilities) registers, in its `ready()`, a function giving the municipalities a person is staff
of (`staff_municipalities`). A superuser coordinates every municipality
(`core.selectors.coordinated_municipalities`), so one municipality asking is enough for them.
"""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from ..models import Municipality

# Recovery codes only stand in for a lost authenticator; allauth deletes them with the last one.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# Functions (user) -> the municipalities whose staff the user is, besides coordinating; see above.
staff_municipalities: list[Callable[..., QuerySet[Municipality]]] = []


def second_factor_required(user) -> bool:
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    asking = Municipality.objects.filter(staff_mfa_required=True)
    if user.is_superuser:
        return asking.exists()
    if asking.filter(coordinators__user=user).exists():
        return True
    return any(asking.filter(pk__in=staffed(user=user).values("pk")).exists() for staffed in staff_municipalities)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def must_set_up_second_factor(user) -> bool:
    return second_factor_required(user) and not has_second_factor(user)
