"""Input that used to give a server error on the course form and the catalogue: refused next to its
field, with what was typed kept; out-of-range dates in the catalogue's filters are set aside."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from manabiya.catalog.models import LearningOpportunity

pytestmark = pytest.mark.django_db

COLUMN_TOO_BIG = str(2**31)  # one more than a PostgreSQL integer holds
HUGE = "9" * 30


def course_data(**changes) -> dict:
    day = timezone.localdate() + dt.timedelta(days=14)
    data = {
        "title": "境界値の講座", "summary": "確かめます", "format": "in_person", "fee": "0",
        "application_method": "none", "languages": ["ja"],
        "sessions-TOTAL_FORMS": "1", "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-date": day.isoformat(), "sessions-0-start_time": "10:00", "sessions-0-end_time": "12:00",
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("capacity", "0"),
        ("capacity", COLUMN_TOO_BIG),
        ("capacity", HUGE),
        ("fee", COLUMN_TOO_BIG),
        ("fee", HUGE),
        ("age_min", "40000"),
        ("age_max", HUGE),
        ("age_min", "121"),
        ("childcare_capacity", "40000"),
    ],
)
def test_course_form_refuses_numbers_out_of_range_next_to_the_field(client, kominkan, provider_member, field, value):
    """Capacity 0, or a capacity, fee or age beyond what its column holds: the form comes back with
    a message on that field and what was typed, and nothing is saved."""
    client.force_login(provider_member)
    changes = {field: value}
    if field == "childcare_capacity":
        changes["childcare_offered"] = "on"
    response = client.post(reverse("catalog:opportunity_create", args=[kominkan.pk]), course_data(**changes))
    assert response.status_code == 200
    form = response.context["editor"].form
    assert field in form.errors
    assert form[field].value() == value
    assert not LearningOpportunity.objects.filter(title="境界値の講座").exists()


@pytest.mark.parametrize("field", ["application_opens_at", "application_closes_at"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_course_form_refuses_dates_at_the_ends_of_the_calendar(client, kominkan, provider_member, field, value):
    client.force_login(provider_member)
    response = client.post(reverse("catalog:opportunity_create", args=[kominkan.pk]), course_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["editor"].form.errors


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_course_dates_at_the_ends_of_the_calendar_are_refused(client, kominkan, provider_member, value):
    client.force_login(provider_member)
    response = client.post(
        reverse("catalog:opportunity_create", args=[kominkan.pk]), course_data(**{"sessions-0-date": value})
    )
    assert response.status_code == 200
    assert "date" in response.context["editor"].sessions.forms[0].errors


@pytest.mark.parametrize("weeks", ["0", "-1", HUGE, COLUMN_TOO_BIG])
def test_repeat_helper_refuses_unreasonable_weeks(client, kominkan, provider_member, weeks):
    client.force_login(provider_member)
    day = timezone.localdate() + dt.timedelta(days=14)
    data = course_data(**{
        "repeat-first_date": day.isoformat(), "repeat-start_time": "10:00", "repeat-repeat_weeks": weeks,
    })  # fmt: skip
    response = client.post(reverse("catalog:opportunity_create", args=[kominkan.pk]), data)
    assert response.status_code == 200
    assert "repeat_weeks" in response.context["editor"].repeat.errors


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
        {"date_from": "9999-12-31", "date_to": "0001-01-01"},
        {"venue": HUGE},
        {"provider": "-1"},
    ],
)
def test_catalogue_filters_out_of_range_are_set_aside(client, query):
    """A date at either end of the calendar, or an id no row can have, is not a filter: the list
    shows as without it."""
    response = client.get(reverse("catalog:opportunity_list"), query)
    assert response.status_code == 200
