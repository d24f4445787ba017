"""The whole publishing workflow through the pages, as the three roles use it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from manabiya.catalog.models import Category, LearningOpportunity, Status

pytestmark = pytest.mark.django_db


def next_weekday(iso_weekday: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=7)
    return day + dt.timedelta(days=(iso_weekday - day.isoweekday()) % 7)


def listed_titles(client, **params) -> list[str]:
    response = client.get(reverse("catalog:opportunity_list"), params)
    return [o.title for o in response.context["page"].object_list]


def test_draft_submit_approve_find(client, kominkan, provider_member, coordinator, venue):
    """A provider drafts and submits a weekly course, a coordinator approves it, a citizen finds
    it by its topic, weekday and time of day — and not before it was approved."""
    thursday = next_weekday(4)
    client.force_login(provider_member)
    response = client.post(
        reverse("catalog:opportunity_create", args=[kominkan.pk]),
        {
            "title": "はじめての書道", "summary": "筆の持ち方から", "format": "in_person", "venue": venue.pk,
            "category": Category.objects.get(slug="calligraphy").pk, "fee": "300", "capacity": "12",
            "application_method": "first_come", "languages": ["ja"],
            "repeat-first_date": thursday.isoformat(), "repeat-start_time": "13:30", "repeat-end_time": "15:30",
            "repeat-repeat_weeks": "6",
            "sessions-TOTAL_FORMS": "0", "sessions-INITIAL_FORMS": "0",
            "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "1000",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    opportunity = LearningOpportunity.objects.get(title="はじめての書道")
    assert opportunity.status == Status.DRAFT
    assert opportunity.sessions.count() == 6

    client.logout()
    assert listed_titles(client, category="calligraphy") == []
    assert client.get(reverse("catalog:opportunity_detail", args=[opportunity.pk])).status_code == 404

    client.force_login(provider_member)
    assert client.post(reverse("catalog:opportunity_submit", args=[opportunity.pk])).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Status.SUBMITTED

    client.force_login(coordinator)
    queue = client.get(reverse("catalog:review_queue"))
    assert "はじめての書道" in queue.content.decode()
    response = client.post(reverse("catalog:opportunity_approve", args=[opportunity.pk]), {"note": "確認しました"})
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED

    client.logout()
    assert listed_titles(client, category="arts", weekday="4", time="afternoon") == ["はじめての書道"]
    assert listed_titles(client, category="arts", weekday="4", time="morning") == []
    detail = client.get(reverse("catalog:opportunity_detail", args=[opportunity.pk]))
    assert detail.status_code == 200
    assert "はじめての書道" in detail.content.decode()


def test_returned_submission_shows_the_reason_to_the_provider(
    client, kominkan, provider_member, coordinator, make_opportunity
):
    opportunity = make_opportunity(kominkan, provider_member, status="submitted")
    client.force_login(coordinator)
    client.post(reverse("catalog:opportunity_return", args=[opportunity.pk]), {"reason": "対象年齢を記入してください"})
    client.force_login(provider_member)
    dashboard = client.get(reverse("catalog:provider_dashboard")).content.decode()
    assert "対象年齢を記入してください" in dashboard


def test_provider_gets_403_on_another_providers_edit_page(
    client, kominkan, provider_member, other_member, make_opportunity
):
    opportunity = make_opportunity(kominkan, provider_member)
    client.force_login(other_member)
    assert client.get(reverse("catalog:opportunity_edit", args=[opportunity.pk])).status_code == 403
    assert client.post(reverse("catalog:opportunity_submit", args=[opportunity.pk])).status_code == 403


def test_coordinator_of_another_city_gets_403(client, kominkan, provider_member, chitose_coordinator, make_opportunity):
    opportunity = make_opportunity(kominkan, provider_member, status="submitted")
    client.force_login(chitose_coordinator)
    assert client.get(reverse("catalog:review_detail", args=[opportunity.pk])).status_code == 403
    assert client.post(reverse("catalog:opportunity_approve", args=[opportunity.pk])).status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.status == Status.SUBMITTED
