"""Provider and coordinator pages on a phone: they fit 360 px and axe-core finds no WCAG 2.1 A/AA
violation. Counter staff and hall staff use phones and tablets as much as citizens do."""

import pytest
from django.conf import settings
from django.test import Client

from .conftest import format_violations
from .test_catalog_browser import assert_fits_phone

pytestmark = pytest.mark.browser


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("where", ["dashboard", "create", "edit"])
def test_provider_pages_fit_a_phone_and_pass_axe(
    axe, open_phone, live_server, kominkan, provider_member, make_opportunity, where
):
    opportunity = make_opportunity(kominkan, provider_member, status="draft")
    page = open_phone()
    log_in(page, live_server, provider_member)
    path = {
        "dashboard": "/manage/",
        "create": f"/manage/organizations/{kominkan.pk}/opportunities/new/",
        "edit": f"/manage/opportunities/{opportunity.pk}/edit/",
    }[where]
    page.goto(live_server.url + path)
    assert page.url.endswith(path), f"not let in: ended at {page.url}"
    assert_fits_phone(page)
    violations = axe(page)
    assert not violations, f"axe found WCAG violations on {page.url}:\n{format_violations(violations)}"


@pytest.mark.parametrize("where", ["home", "queue", "review", "import"])
def test_coordinator_pages_fit_a_phone_and_pass_axe(
    axe, open_phone, live_server, kominkan, provider_member, coordinator, make_opportunity, where
):
    submitted = make_opportunity(kominkan, provider_member, status="submitted")
    page = open_phone()
    log_in(page, live_server, coordinator)
    path = {
        "home": "/coordinate/",
        "queue": "/coordinate/reviews/",
        "review": f"/coordinate/reviews/{submitted.pk}/",
        "import": "/coordinate/import/",
    }[where]
    page.goto(live_server.url + path)
    assert page.url.endswith(path), f"not let in: ended at {page.url}"
    assert_fits_phone(page)
    violations = axe(page)
    assert not violations, f"axe found WCAG violations on {page.url}:\n{format_violations(violations)}"
