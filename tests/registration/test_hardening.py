"""Input that used to give a server error on the registration pages: each now gets an answer."""

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from manabiya.registration import exporting, services
from manabiya.registration.models import Application, Attendance

from .conftest import apply, new_citizen

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "title",
    ["講座 [A/B] 10:00 \\ 何? *", "[]:*?/\\", "とても長い講座の題名" * 10, "'先頭と末尾の引用符'", "history"],
)
def test_excel_roster_exports_whatever_the_title(client, make_course, provider_member, title):
    """A title with characters a sheet name cannot hold (\\ / ? * [ ] :), or longer than 31
    characters, still exports; the sheet is named after the title as far as Excel allows."""
    course = make_course(title=title)
    apply(new_citizen(), course)
    client.force_login(provider_member)
    response = client.get(reverse("registration:roster_xlsx", args=[course.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert 1 <= len(sheet.title) <= 31
    assert not set(sheet.title) & set("\\/?*[]:")
    assert sheet.max_row == 2


def test_excel_roster_drops_control_characters_a_name_carries(make_course):
    """Control characters a spreadsheet cannot hold are left out of the cells, not the export."""
    course = make_course(title="講座\x07名")
    apply(new_citizen(name="名前\x01\x1f あり\tタブ"), course)
    body = exporting.roster_xlsx(list(Application.objects.filter(opportunity=course)), title=course.title)
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.title == "講座名"
    assert sheet.cell(row=2, column=5).value == "名前 あり\tタブ"


def test_sheet_titles_are_cleaned(make_course):
    assert exporting.sheet_title("a/b\\c?d*e[f]g:h") == "a b c d e f g h"
    assert exporting.sheet_title("   ") == "roster"
    assert exporting.sheet_title("x" * 40) == "x" * 31
    assert exporting.sheet_title("'quoted'") == "quoted"


@pytest.fixture
def checkin_page(client, make_course, provider_member):
    course = make_course(capacity=1)
    client.force_login(provider_member)
    return course, reverse("registration:checkin", args=[course.sessions.get().pk])


def test_ticking_a_cancelled_application_says_why(client, checkin_page, provider_member, english):
    """Ticking a name whose application was cancelled meanwhile records nothing and says why."""
    course, url = checkin_page
    application = apply(new_citizen(name="取消 太郎"), course)
    services.application_cancel(actor=application.user, application=application)
    response = client.post(url, {"action": "tick", "application": application.pk}, follow=True)
    assert response.status_code == 200
    assert not Attendance.objects.exists()
    assert any("not confirmed" in str(m) for m in get_messages(response.wsgi_request)) or "not confirmed" in (
        response.content.decode()
    )


def test_ticking_a_waiting_application_says_why(client, checkin_page, english):
    """An application on the waiting list is not checked in from the roster."""
    course, url = checkin_page
    apply(new_citizen(), course)
    waiting = apply(new_citizen(name="待機 花子"), course)
    response = client.post(url, {"action": "tick", "application": waiting.pk}, follow=True)
    assert response.status_code == 200
    assert "not confirmed" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("value", ["abc", "", "1.5", "99999999999999999999999", "-1", "²"])
def test_ticking_with_a_made_up_id_is_not_found(client, checkin_page, value):
    """A roster tick whose application id is not a number of this course's is a 404, not a 500."""
    _course, url = checkin_page
    for action in ("tick", "untick"):
        assert client.post(url, {"action": action, "application": value}).status_code == 404


def _apply_form(client, url, **fields):
    page = client.get(url)
    return {
        "request_key": page.context["form"].initial["request_key"],
        "residency": "lives",
        "name": "鍵 長太郎",
        "name_kana": "カギ",
        "phone": "1",
        **fields,
    }


@pytest.mark.parametrize("key", ["k" * 65, "k" * 5000, "鍵" * 40, "a b"])
def test_a_made_up_request_key_still_applies_once(client, course, key):
    """A request key the form did not make (too long for its column, odd characters) does not stop
    the application, and is not stored."""
    client.force_login(new_citizen())
    url = reverse("registration:apply", args=[course.pk])
    response = client.post(url, _apply_form(client, url, request_key=key))
    assert response.status_code == 302
    application = Application.objects.get(opportunity=course)
    assert application.request_key != key and len(application.request_key or "") <= 64


def test_a_made_up_request_key_at_the_counter(client, course, provider_member):
    """Staff applying for a caller: the same."""
    client.force_login(provider_member)
    url = reverse("registration:apply_for", args=[course.pk])
    assert client.post(url, _apply_form(client, url, request_key="x" * 100)).status_code == 302
    assert Application.objects.filter(opportunity=course).count() == 1
