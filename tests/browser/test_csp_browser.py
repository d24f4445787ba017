"""The pages run under the strict Content-Security-Policy: nothing is refused, htmx still works.

Every page the browser tests open is checked for refusals (`open_phone`); these visit what the
others do not: the Django admin (its own scripts and widgets) and the staff home's list of emails
that could not be sent.
"""

import pytest
from django.core.mail import EmailMessage
from playwright.sync_api import expect

from manabiya.core import mail
from manabiya.core.models import OutgoingEmail

from .conftest import format_violations
from .test_catalog_browser import assert_fits_phone
from .test_staff_browser import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/core/organization/",
        "/admin/core/organization/?q=%E5%85%AC%E6%B0%91%E9%A4%A8",
        "organization-change",
        "/admin/catalog/venue/add/",
        "/admin/core/auditentry/",
    ],
)
def test_the_admin_runs_under_the_policy(open_phone, live_server, coordinator, kominkan, path):
    page = open_phone()
    log_in(page, live_server, coordinator)
    if path == "organization-change":
        path = f"/admin/core/organization/{kominkan.pk}/change/"
    response = page.goto(live_server.url + path)
    assert response.status == 200, page.url
    expect(page.locator("#content")).to_be_visible()


def test_staff_see_emails_that_could_not_be_sent_and_send_them_again(
    axe, open_phone, live_server, coordinator, koganei, settings
):
    """A failed email is listed on the coordinator's home, fits a phone, and "Send again" sends it."""
    settings.EMAIL_RETRY_HOURS = 0
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    message = EmailMessage(subject="抽選結果のお知らせ：親子書道教室", body="…", to=["hanako@example.jp"])
    mail.about(message, municipality_id=koganei.pk).send()
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.FAILED

    page = open_phone()
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + "/coordinate/")
    panel = page.locator("section#failed-emails, section:has(#failed-emails)")
    expect(panel).to_contain_text("hanako@example.jp")
    expect(panel).to_contain_text("抽選結果のお知らせ")
    assert_fits_phone(page)
    violations = axe(page)
    assert not violations, f"axe found WCAG violations on {page.url}:\n{format_violations(violations)}"

    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    panel.get_by_role("button").first.click()
    expect(page.locator(".messages")).to_be_visible()
    assert page.url.endswith("/coordinate/")
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
