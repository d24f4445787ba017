"""A municipality can ask its coordinators and facility staff to log in with a second factor; citizens'
pages never ask."""

import datetime as dt
import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from manabiya.core.accounts.adapter import MFAAdapter
from manabiya.core.accounts.mfa import second_factor_required
from manabiya.core.accounts.middleware import STAFF_PATH_PREFIXES
from manabiya.facilities.models import Facility
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

COORDINATOR_PAGES = ["/coordinate/", "/coordinate/reviews/", "/manage/talent/", "/manage/passport/", "/admin/"]


@pytest.fixture
def asks(koganei):
    koganei.staff_mfa_required = True
    koganei.save()
    return koganei


@pytest.fixture
def hall(koganei, venue, kominkan):
    """The kominkan runs the city's hall: its members are facility staff."""
    return Facility.objects.create(
        municipality=koganei, venue=venue, operator=kominkan, unit_scheme="blocks",
        opens_at=dt.time(9), closes_at=dt.time(21, 30),
    )  # fmt: skip


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sent_to_set_up(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("mfa_index")


def test_a_coordinator_without_a_second_factor_is_sent_to_set_one_up(client, coordinator, asks, english):
    client.force_login(coordinator)
    for path in COORDINATOR_PAGES:
        assert sent_to_set_up(client.get(path)), path
    # Writes are stopped too.
    assert sent_to_set_up(client.post("/coordinate/reviews/1/approve/"))
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Your municipality asks its staff to log in with a second factor." in page
    assert 'href="/accounts/2fa/totp/activate/"' in page and 'href="/accounts/2fa/webauthn/add/"' in page


def test_with_a_second_factor_the_staff_pages_open_and_the_way_back_is_offered(client, coordinator, asks, english):
    client.force_login(coordinator)
    client.get("/coordinate/reviews/")
    with_totp(coordinator)
    assert 'href="/coordinate/reviews/"' in client.get(reverse("mfa_index")).content.decode()
    for path in COORDINATOR_PAGES:
        assert client.get(path).status_code == 200, path
    assert "/coordinate/reviews/" not in client.get(reverse("mfa_index")).content.decode()


def test_a_security_key_counts_as_a_second_factor_and_recovery_codes_alone_do_not(client, coordinator, asks):
    client.force_login(coordinator)
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.RECOVERY_CODES, data={})
    assert sent_to_set_up(client.get("/coordinate/"))
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.WEBAUTHN, data={})
    assert client.get("/coordinate/").status_code == 200


def test_the_citizen_pages_stay_open_to_staff_without_a_second_factor(client, coordinator, asks):
    client.force_login(coordinator)
    for path in ["/", "/opportunities/", "/mypage/", "/passport/", "/facilities/", "/talent/", "/accounts/2fa/"]:
        assert client.get(path).status_code == 200, path


def test_citizens_are_never_asked(client, citizen, asks):
    client.force_login(citizen)
    assert not second_factor_required(citizen)
    for path in ["/", "/mypage/", "/passport/"]:
        assert client.get(path).status_code == 200, path
    for path in ["/manage/", "/coordinate/", "/admin/"]:
        assert not sent_to_set_up(client.get(path)), path  # refused as before, not sent to set up
    assert 'href="/accounts/2fa/"' not in client.get("/").content.decode()  # the menu link is for staff


def test_facility_staff_are_asked_and_other_providers_are_not(client, provider_member, other_member, hall, asks):
    """The kominkan runs a hall of a municipality that asks: its members are; the NPO runs no facility."""
    client.force_login(provider_member)
    assert sent_to_set_up(client.get("/manage/facilities/"))
    assert sent_to_set_up(client.get("/manage/"))
    client.force_login(other_member)
    assert client.get("/manage/").status_code == 200


def test_only_a_municipality_that_asks_binds_its_staff(client, coordinator, chitose_coordinator, provider_member, hall):
    client.force_login(coordinator)
    assert client.get("/coordinate/").status_code == 200
    client.force_login(provider_member)
    assert client.get("/manage/facilities/").status_code == 200
    chitose = chitose_coordinator.coordinator_assignments.get().municipality
    chitose.staff_mfa_required = True
    chitose.save()
    assert not second_factor_required(coordinator) and not second_factor_required(provider_member)
    assert second_factor_required(chitose_coordinator)


def test_superusers_are_asked_as_soon_as_one_municipality_asks(client, koganei):
    """A superuser acts as coordinator of every municipality, so the strictest one decides."""
    root = make_user("root@city.koganei.example.jp", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
    koganei.staff_mfa_required = True
    koganei.save()
    assert sent_to_set_up(client.get("/admin/"))
    with_totp(root)
    assert client.get("/admin/").status_code == 200


def test_staff_who_must_have_a_second_factor_cannot_remove_their_last_one(coordinator, asks, koganei):
    with_totp(coordinator)
    totp = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)
    assert not MFAAdapter().can_delete_authenticator(totp)
    key = Authenticator.objects.create(user=coordinator, type=Authenticator.Type.WEBAUTHN, data={})
    assert MFAAdapter().can_delete_authenticator(totp) and MFAAdapter().can_delete_authenticator(key)
    koganei.staff_mfa_required = False
    koganei.save()
    key.delete()
    assert MFAAdapter().can_delete_authenticator(totp)


def test_a_staff_login_asks_for_the_code_after_the_password(client, coordinator, asks):
    EmailAddress.objects.create(user=coordinator, email=coordinator.email, verified=True, primary=True)
    secret = with_totp(coordinator)
    response = client.post(reverse("account_login"), {"login": coordinator.email, "password": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)
    assert client.get("/coordinate/").status_code == 200


def test_the_second_factor_page_is_in_the_menu_for_staff(client, coordinator, provider_member):
    for user in (coordinator, provider_member):
        client.force_login(user)
        page = client.get("/").content.decode()
        assert 'href="/accounts/2fa/"' in page
        assert client.get("/accounts/2fa/").status_code == 200


def test_the_municipality_admin_shows_and_edits_the_requirement(client, koganei):
    root = make_user("root@city.koganei.example.jp", is_staff=True, is_superuser=True)
    client.force_login(root)
    changelist = client.get(reverse("admin:core_municipality_changelist")).content.decode()
    assert "column-staff_mfa_required" in changelist and "staff_mfa_required__exact" in changelist
    url = reverse("admin:core_municipality_change", args=[koganei.pk])
    assert 'name="staff_mfa_required"' in client.get(url).content.decode()
    response = client.post(
        url, {"code": koganei.code, "name": koganei.name, "name_kana": "", "prefecture": koganei.prefecture,
              "staff_mfa_required": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    koganei.refresh_from_db()
    assert koganei.staff_mfa_required


def _routes(resolvers, prefix=""):
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


STAFF_MODULE = re.compile(r"^manabiya\.\w+\.views\.(staff|provider|coordinator|imports)$")
CITIZEN_MODULE = re.compile(r"^manabiya\.\w+\.views\.(public|citizen)$")
PUBLIC_VIEWS_IN_STAFF_MODULES = {"manabiya.catalog.views.imports.export_csv"}  # open data, for anyone


def test_every_staff_page_is_under_a_prefix_the_second_factor_guards():
    """The middleware recognises staff pages by path: a staff view added elsewhere would slip past it, and a
    citizens' page under a staff prefix would stop staff who have no second factor yet."""
    prefixes = tuple(p.lstrip("/") for p in STAFF_PATH_PREFIXES)
    staff = citizen = 0
    for route, view in _routes(get_resolver().url_patterns):
        module = getattr(view, "__module__", "")
        name = f"{module}.{getattr(view, '__name__', '')}"
        if STAFF_MODULE.match(module) and name not in PUBLIC_VIEWS_IN_STAFF_MODULES:
            assert route.startswith(prefixes), f"staff view {name} at /{route} is not under {STAFF_PATH_PREFIXES}"
            staff += 1
        elif CITIZEN_MODULE.match(module) or name in PUBLIC_VIEWS_IN_STAFF_MODULES:
            assert not route.startswith(prefixes), f"citizens' view {name} at /{route} is under a staff prefix"
            citizen += 1
    assert staff > 50 and citizen > 30
