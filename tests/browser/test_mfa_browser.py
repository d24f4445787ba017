"""A coordinator whose city asks for a second factor sets one up on a phone — an authenticator app, then a
security key through Chromium's virtual authenticator — and logs in with password and code, or password and
key. Every page fits 360 px and axe-core finds no WCAG 2.1 A/AA violation."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from .conftest import assert_assets_served, format_violations
from .test_catalog_browser import assert_fits_phone

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def staff_member(coordinator, koganei):
    """A Koganei coordinator with a verified address; Koganei asks its staff for a second factor."""
    koganei.staff_mfa_required = True
    koganei.save()
    EmailAddress.objects.create(user=coordinator, email=coordinator.email, verified=True, primary=True)
    return coordinator


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def check_page(page, axe) -> None:
    assert_assets_served(page)
    assert_fits_phone(page)
    violations = axe(page)
    assert not violations, f"axe found WCAG violations on {page.url}:\n{format_violations(violations)}"


def password_step(page, live_server, user, *, next_url: str = "") -> None:
    page.goto(live_server.url + "/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def confirm_password(page, axe=None) -> None:
    """allauth asks for the password again before a second factor is added (MFA_REAUTHENTICATION_REQUIRED)."""
    page.wait_for_url("**/accounts/reauthenticate/**")
    if axe:
        check_page(page, axe)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def log_out(page) -> None:
    page.locator("header form[action='/accounts/logout/'] button").click()
    page.wait_for_url("**/")


def test_a_coordinator_sets_up_an_authenticator_app_and_logs_in_with_password_and_code(
    axe, open_phone, live_server, staff_member
):
    page = open_phone()
    password_step(page, live_server, staff_member, next_url="/coordinate/")
    # Sent from the staff page to set up a second factor, with the reason.
    page.wait_for_url("**/accounts/2fa/")
    expect(page.locator("main .notice")).to_be_visible()  # the reason
    check_page(page, axe)

    page.locator("main a[href='/accounts/2fa/totp/activate/']").click()
    confirm_password(page, axe)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    expect(page.locator(".totp-qr svg")).to_be_visible()
    check_page(page, axe)
    secret = page.locator("#authenticator-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.locator("input[name=code]").fill(totp_now(secret))
    page.locator("main form button[type=submit]").click()

    # The recovery codes are shown once the app is active.
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9a-z]{8}", c) for c in codes)
    check_page(page, axe)
    page.locator("main a[href='/coordinate/']").click()
    page.wait_for_url("**/coordinate/")
    expect(page.locator("h1")).to_be_visible()

    log_out(page)
    password_step(page, live_server, staff_member, next_url="/coordinate/")
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    check_page(page, axe)
    page.locator("input[name=code]").fill(totp_now(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/coordinate/")
    expect(page.locator("header a[href='/accounts/2fa/']")).to_be_visible()  # the staff menu's link

    # A recovery code stands in for a lost phone, once.
    log_out(page)
    password_step(page, live_server, staff_member)
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.locator("input[name=code]").fill(codes[0])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/")
    expect(page.locator("header form[action='/accounts/logout/']")).to_be_visible()


def test_a_coordinator_adds_a_security_key_and_logs_in_with_it(axe, open_phone, live_server, staff_member):
    """Chromium's virtual authenticator (through the DevTools protocol) plays the security key, over
    http://localhost, which MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN allows in development and tests."""
    page = open_phone()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]
    password_step(page, live_server, staff_member, next_url="/manage/passport/")
    page.wait_for_url("**/accounts/2fa/")
    page.locator("main a[href='/accounts/2fa/webauthn/add/']").click()
    confirm_password(page)
    page.wait_for_url("**/accounts/2fa/webauthn/add/")
    check_page(page, axe)
    page.locator("input[name=name]").fill("青いUSBキー")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert len(page.locator("#recovery_codes").input_value().split()) == 10
    assert Authenticator.objects.filter(user=staff_member, type=Authenticator.Type.WEBAUTHN).count() == 1
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1

    page.goto(live_server.url + "/accounts/2fa/webauthn/")
    expect(page.locator("main")).to_contain_text("青いUSBキー")
    check_page(page, axe)

    page.goto(live_server.url + "/manage/passport/")
    page.wait_for_url("**/manage/passport/")

    log_out(page)
    password_step(page, live_server, staff_member, next_url="/manage/passport/")
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.locator("#mfa_webauthn_authenticate").click()
    page.wait_for_url("**/manage/passport/")
    expect(page.locator("h1")).to_be_visible()
