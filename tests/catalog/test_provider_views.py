import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manabiya.catalog import services
from manabiya.catalog.models import AccessibilityFeature, Audience, LearningOpportunity, Status, Venue
from manabiya.core.audit import history_for

from ..conftest import future

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages in English whatever translations exist, so the assertions can quote messages."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def audiences_and_support(db):
    return Audience.objects.get(slug="seniors"), AccessibilityFeature.objects.get(slug="captioning")


@pytest.fixture
def member_client(client, provider_member):
    client.force_login(provider_member)
    return client


def edit_url(opportunity) -> str:
    return reverse("catalog:opportunity_edit", args=[opportunity.pk])


def action_url(action: str, opportunity) -> str:
    return reverse(f"catalog:opportunity_{action}", args=[opportunity.pk])


def next_weekday(iso_weekday: int, *, after_days: int = 7) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=after_days)
    return day + dt.timedelta(days=(iso_weekday - day.isoweekday()) % 7)


def page_data(editor) -> dict:
    """What a browser would send back for the edit page as shown: every field's current value."""
    data = {field.html_name: field.value() for field in editor.sessions.management_form}
    for form in (editor.form, editor.repeat, *editor.sessions.forms):
        for field in form:
            value = field.value()
            if value is None or value is False or value == "" or field.name == "image":
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def new_opportunity_data(**changes) -> dict:
    data = {
        "title": "はじめてのスマホ教室", "summary": "LINEの使い方を学びます", "format": "in_person",
        "fee": "0", "application_method": "none", "languages": ["ja"],
        "sessions-TOTAL_FORMS": "3", "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(changes)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- dashboard -----------------------------------------------------------------------------------


def test_dashboard_lists_only_the_members_organizations(
    member_client, kominkan, provider_member, other_provider, other_member, make_opportunity
):
    """A member sees their organization's opportunities in every state, and no other organization's."""
    make_opportunity(kominkan, provider_member, title="公民館の下書き")
    make_opportunity(kominkan, provider_member, title="公民館の審査中", status="submitted")
    make_opportunity(other_provider, other_member, title="よその講座")
    response = member_client.get(reverse("catalog:provider_dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "公民館の下書き" in body
    assert "公民館の審査中" in body
    assert "よその講座" not in body
    assert reverse("catalog:opportunity_create", args=[kominkan.pk]) in body
    assert reverse("catalog:opportunity_create", args=[other_provider.pk]) not in body


def test_dashboard_shows_the_coordinators_comment_and_filters_by_status(
    member_client, kominkan, provider_member, coordinator, make_opportunity
):
    """A returned opportunity shows why it came back; the status filter narrows the list."""
    returned = make_opportunity(kominkan, provider_member, title="差し戻された講座", status="submitted")
    services.opportunity_return(actor=coordinator, opportunity=returned, reason="会場を記入してください")
    make_opportunity(kominkan, provider_member, title="まだ下書き")
    response = member_client.get(reverse("catalog:provider_dashboard"))
    body = response.content.decode()
    assert "会場を記入してください" in body
    # Returned ones come first: they need the provider's attention.
    assert body.index("差し戻された講座") < body.index("まだ下書き")

    response = member_client.get(reverse("catalog:provider_dashboard"), {"status": "draft"})
    body = response.content.decode()
    assert "まだ下書き" in body
    assert "差し戻された講座" not in body


def test_dashboard_query_count_does_not_grow_with_rows(
    client, kominkan, provider_member, coordinator, make_opportunity, django_assert_max_num_queries
):
    """The dashboard runs the same number of queries for one opportunity as for a dozen."""
    client.force_login(provider_member)
    url = reverse("catalog:provider_dashboard")

    def returned_one(title):
        opportunity = make_opportunity(kominkan, provider_member, title=title, status="submitted")
        services.opportunity_return(actor=coordinator, opportunity=opportunity, reason=f"{title}を直して")

    returned_one("一つ目")
    client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as one_row:
        client.get(url)
    for n in range(4):
        returned_one(f"差し戻し{n}")
        make_opportunity(kominkan, provider_member, title=f"下書き{n}")
        make_opportunity(kominkan, provider_member, title=f"公開{n}", status="published")
    with django_assert_max_num_queries(len(one_row)):
        response = client.get(url)
    assert response.content.decode().count("を直して") == 5


# --- create --------------------------------------------------------------------------------------


def test_create_with_weekly_repeat_makes_one_session_a_week(member_client, kominkan, venue):
    """ "Every Tuesday for 6 weeks" becomes six Tuesday sessions at the same wall-clock time."""
    first = next_weekday(2)
    data = new_opportunity_data(**{
        "venue": str(venue.pk), "repeat-first_date": first.isoformat(), "repeat-start_time": "10:00",
        "repeat-end_time": "12:00", "repeat-repeat_weeks": "6",
    })  # fmt: skip
    response = member_client.post(reverse("catalog:opportunity_create", args=[kominkan.pk]), data)
    opportunity = LearningOpportunity.objects.get(title="はじめてのスマホ教室")
    assert response.status_code == 302
    assert response.url == edit_url(opportunity)
    assert opportunity.status == Status.DRAFT
    assert opportunity.provider == kominkan
    assert opportunity.languages == ["ja"]
    sessions = list(opportunity.sessions.all())
    assert len(sessions) == 6
    starts = [timezone.localtime(s.starts_at) for s in sessions]
    assert [s.date() for s in starts] == [first + dt.timedelta(weeks=n) for n in range(6)]
    assert {(s.isoweekday(), s.hour, s.minute) for s in starts} == {(2, 10, 0)}
    assert all(s.ends_at - s.starts_at == dt.timedelta(hours=2) for s in sessions)
    assert "The draft is saved. Submit it for review when it is ready." in messages_of(response)


def test_create_reads_rows_and_times_as_japan_time(member_client, kominkan, audiences_and_support):
    """Session rows and datetime-local fields are Asia/Tokyo wall-clock times; tags are saved."""
    seniors, captioning = audiences_and_support
    day = next_weekday(6)
    data = new_opportunity_data(**{
        "format": "online", "online_url": "https://example.jp/live", "languages": ["en", "ja"],
        "application_opens_at": "2030-04-01T09:00", "audiences": [str(seniors.pk)],
        "accessibility": [str(captioning.pk)],
        "sessions-0-date": day.isoformat(), "sessions-0-start_time": "13:30", "sessions-0-end_time": "15:00",
        "sessions-1-date": (day + dt.timedelta(days=1)).isoformat(), "sessions-1-start_time": "18:00",
    })  # fmt: skip
    response = member_client.post(reverse("catalog:opportunity_create", args=[kominkan.pk]), data)
    assert response.status_code == 302
    opportunity = LearningOpportunity.objects.get(title="はじめてのスマホ教室")
    assert opportunity.application_opens_at == dt.datetime(2030, 4, 1, 0, 0, tzinfo=dt.UTC)
    assert opportunity.languages == ["ja", "en"]
    assert list(opportunity.audiences.all()) == [seniors]
    assert list(opportunity.accessibility.all()) == [captioning]
    sessions = list(opportunity.sessions.all())
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in sessions] == ["13:30", "18:00"]
    assert sessions[1].ends_at is None


def test_create_form_offers_only_venues_of_the_providers_municipality(member_client, kominkan, venue, chitose):
    """The venue list holds the provider's municipality's venues only."""
    elsewhere = Venue.objects.create(municipality=chitose, name="千歳市民文化センター")
    response = member_client.get(reverse("catalog:opportunity_create", args=[kominkan.pk]))
    assert response.status_code == 200
    choices = list(response.context["editor"].form.fields["venue"].queryset)
    assert venue in choices
    assert elsewhere not in choices


def test_rule_violation_shows_next_to_the_field_and_keeps_the_input(member_client, kominkan):
    """An age range the service refuses comes back beside "maximum age", with everything typed kept."""
    day = next_weekday(3)
    data = new_opportunity_data(**{
        "age_min": "12", "age_max": "6", "description": "親子で参加できます。",
        "sessions-0-date": day.isoformat(), "sessions-0-start_time": "10:00", "sessions-0-note": "持ち物なし",
        "repeat-first_date": day.isoformat(), "repeat-start_time": "14:00", "repeat-repeat_weeks": "3",
    })  # fmt: skip
    response = member_client.post(reverse("catalog:opportunity_create", args=[kominkan.pk]), data)
    assert response.status_code == 200
    assert not LearningOpportunity.objects.exists()
    editor = response.context["editor"]
    assert editor.form.errors["age_max"] == ["The minimum age is above the maximum age."]
    body = response.content.decode()
    assert 'id="id_age_max_error"' in body
    error_at = body.index('id="id_age_max_error"')
    assert body.index('name="age_max"') < error_at < body.index('name="format"')
    typed = ['value="はじめてのスマホ教室"', 'value="12"', 'value="6"', "親子で参加できます。"]
    typed += [f'value="{day.isoformat()}"', 'value="持ち物なし"', 'value="14:00"', 'value="3"']
    for value in typed:
        assert value in body
    assert 'href="#id_age_max"' in body  # the summary at the top links to the field


def test_session_ending_before_it_starts_is_refused_with_the_rows_kept(member_client, kominkan):
    """A date that ends before it starts is refused at the dates, and the rows stay filled in."""
    day = next_weekday(4)
    data = new_opportunity_data(**{
        "sessions-0-date": day.isoformat(), "sessions-0-start_time": "15:00", "sessions-0-end_time": "13:00",
    })  # fmt: skip
    response = member_client.post(reverse("catalog:opportunity_create", args=[kominkan.pk]), data)
    assert response.status_code == 200
    assert not LearningOpportunity.objects.exists()
    assert response.context["editor"].sessions.non_form_errors() == ["A session must end after it starts."]
    body = response.content.decode()
    assert 'id="sessions_error"' in body
    assert 'value="15:00"' in body
    assert 'value="13:00"' in body


def test_half_filled_repeat_helper_asks_for_the_rest(member_client, kominkan):
    """A repeat with a first date but no weeks asks for the weeks rather than guessing."""
    data = new_opportunity_data(**{"repeat-first_date": next_weekday(2).isoformat(), "repeat-start_time": "10:00"})
    response = member_client.post(reverse("catalog:opportunity_create", args=[kominkan.pk]), data)
    assert response.status_code == 200
    assert "repeat_weeks" in response.context["editor"].repeat.errors
    assert not LearningOpportunity.objects.exists()


def test_repeat_for_too_many_weeks_is_refused_beside_the_weeks(member_client, kominkan):
    """More than two years of weekly dates is refused beside the number of weeks."""
    data = new_opportunity_data(**{
        "repeat-first_date": next_weekday(2).isoformat(), "repeat-start_time": "10:00",
        "repeat-repeat_weeks": "500",
    })  # fmt: skip
    response = member_client.post(reverse("catalog:opportunity_create", args=[kominkan.pk]), data)
    assert response.status_code == 200
    assert response.context["editor"].repeat.errors["repeat_weeks"] == ["Repeat between 1 and 104 weeks."]
    assert 'value="500"' in response.content.decode()


# --- edit ----------------------------------------------------------------------------------------


@pytest.fixture
def three_dates(kominkan, provider_member, make_opportunity):
    start = future(10)
    specs = [
        services.SessionSpec(starts_at=start + dt.timedelta(weeks=n), ends_at=start + dt.timedelta(weeks=n, hours=2))
        for n in range(3)
    ]
    return make_opportunity(kominkan, provider_member, sessions=specs)


def test_edit_keeps_updates_and_deletes_sessions(member_client, three_dates):
    """An untouched row keeps its session, a changed row updates it, a ticked row deletes it and a
    filled-in extra row adds one."""
    opportunity = three_dates
    first, second, third = opportunity.sessions.all()
    response = member_client.get(edit_url(opportunity))
    assert response.status_code == 200
    data = page_data(response.context["editor"])
    assert data["sessions-INITIAL_FORMS"] == 3
    data["title"] = "スマートフォン活用講座（改）"
    data["sessions-1-start_time"] = "13:00"
    data["sessions-1-end_time"] = "14:30"
    data["sessions-1-note"] = "午後に変更"
    data["sessions-2-DELETE"] = "on"
    extra_day = next_weekday(5, after_days=40)
    data["sessions-3-date"] = extra_day.isoformat()
    data["sessions-3-start_time"] = "19:00"

    response = member_client.post(edit_url(opportunity), data)
    assert response.status_code == 302, response.context["editor"].error_summary()
    assert response.url == edit_url(opportunity)
    opportunity.refresh_from_db()
    assert opportunity.title == "スマートフォン活用講座（改）"
    sessions = {s.pk: s for s in opportunity.sessions.all()}
    assert first.pk in sessions and sessions[first.pk].starts_at == first.starts_at
    assert second.pk in sessions
    moved = timezone.localtime(sessions[second.pk].starts_at)
    assert (moved.date(), moved.hour, moved.minute) == (timezone.localtime(second.starts_at).date(), 13, 0)
    assert sessions[second.pk].note == "午後に変更"
    assert third.pk not in sessions
    added = [s for pk, s in sessions.items() if pk not in (first.pk, second.pk)]
    assert [timezone.localtime(s.starts_at).date() for s in added] == [extra_day]
    assert "Your changes are saved." in messages_of(response)


def test_edit_page_query_count_does_not_grow_with_dates(
    member_client, kominkan, provider_member, make_opportunity, django_assert_max_num_queries
):
    """The edit page runs the same number of queries for two dates as for twelve."""

    def weekly(n):
        start = future(10)
        return [services.SessionSpec(starts_at=start + dt.timedelta(weeks=w)) for w in range(n)]

    few = make_opportunity(kominkan, provider_member, sessions=weekly(2))
    many = make_opportunity(kominkan, provider_member, sessions=weekly(12))
    member_client.get(edit_url(few))
    with CaptureQueriesContext(connection) as two_dates:
        member_client.get(edit_url(few))
    with django_assert_max_num_queries(len(two_dates)):
        response = member_client.get(edit_url(many))
    assert response.context["editor"].sessions.initial_form_count() == 12


def test_edit_page_shows_status_history_with_reasons(
    member_client, kominkan, provider_member, coordinator, make_opportunity
):
    """The edit page lists each workflow step, who took it and why."""
    opportunity = make_opportunity(kominkan, provider_member, status="submitted")
    services.opportunity_return(actor=coordinator, opportunity=opportunity, reason="日時の表記を統一してください")
    response = member_client.get(edit_url(opportunity))
    body = response.content.decode()
    assert "Status history" in body
    assert "Returned for changes" in body
    assert body.count("日時の表記を統一してください") == 2  # the comment box and the history
    assert reverse("catalog:opportunity_submit", args=[opportunity.pk]) in body


def test_published_opportunity_stays_published_and_keeps_a_date(
    member_client, kominkan, provider_member, make_opportunity
):
    """Edits to a published opportunity keep it published; removing its last date is refused."""
    opportunity = make_opportunity(kominkan, provider_member, status="published")
    data = page_data(member_client.get(edit_url(opportunity)).context["editor"])
    data["fee"] = "500"
    response = member_client.post(edit_url(opportunity), data)
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.fee) == (Status.PUBLISHED, 500)

    data = page_data(member_client.get(edit_url(opportunity)).context["editor"])
    data["sessions-0-DELETE"] = "on"
    data["summary"] = "日程は調整中"
    response = member_client.post(edit_url(opportunity), data)
    assert response.status_code == 200
    assert response.context["editor"].sessions.non_form_errors() == ["Add at least one date."]
    assert 'value="日程は調整中"' in response.content.decode()
    assert opportunity.sessions.count() == 1
    opportunity.refresh_from_db()
    assert opportunity.summary == ""


def test_submitted_opportunity_shows_no_form_and_refuses_edits_keeping_them(
    member_client, kominkan, provider_member, make_opportunity
):
    """Awaiting review, an opportunity cannot be edited; a stale form's edits are refused but shown again."""
    opportunity = make_opportunity(kominkan, provider_member)
    data = page_data(member_client.get(edit_url(opportunity)).context["editor"])
    services.opportunity_submit(actor=provider_member, opportunity=opportunity)

    response = member_client.get(edit_url(opportunity))
    assert response.context["editor"] is None
    assert reverse("catalog:opportunity_withdraw", args=[opportunity.pk]) in response.content.decode()

    data["title"] = "審査中に変えたい題名"
    response = member_client.post(edit_url(opportunity), data)
    assert response.status_code == 200
    assert "cannot be edited" in response.context["editor"].form.non_field_errors()[0]
    assert 'value="審査中に変えたい題名"' in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.title == "スマートフォン活用講座"


# --- workflow actions ----------------------------------------------------------------------------


def test_submit_sends_for_review(member_client, kominkan, provider_member, make_opportunity):
    opportunity = make_opportunity(kominkan, provider_member)
    response = member_client.post(action_url("submit", opportunity))
    assert response.status_code == 302
    assert response.url == edit_url(opportunity)
    opportunity.refresh_from_db()
    assert opportunity.status == Status.SUBMITTED
    assert "Submitted. A coordinator will review it." in messages_of(response)


def test_trusted_organization_submission_publishes_at_once(client, koganei, make_organization, make_opportunity):
    """A trusted organization's submit publishes, and the page says it needed no review."""
    from manabiya.core.services import membership_add

    from ..conftest import make_user

    library = make_organization(koganei, "小金井市立図書館", trusted=True)
    librarian = make_user("lib@example.jp")
    membership_add(actor=None, user=librarian, organization=library)
    opportunity = make_opportunity(library, librarian)
    client.force_login(librarian)
    response = client.post(action_url("submit", opportunity))
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED
    assert "Published. Your organization's submissions need no review." in messages_of(response)


def test_submit_refused_shows_the_reason_at_the_button(member_client, kominkan, provider_member, make_opportunity):
    """Submitting without a date is refused, with the service's message and a link to the dates."""
    opportunity = make_opportunity(kominkan, provider_member, sessions=[])
    response = member_client.post(action_url("submit", opportunity))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Add at least one date." in body
    assert 'href="#sessions"' in body
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT


@pytest.mark.parametrize("action", ["submit", "withdraw", "cancel", "reopen"])
def test_workflow_actions_need_post(member_client, kominkan, provider_member, make_opportunity, action):
    opportunity = make_opportunity(kominkan, provider_member, status="published")
    response = member_client.get(action_url(action, opportunity))
    assert response.status_code == 405
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED


def test_withdraw_records_the_reason_and_reopen_makes_a_draft(
    member_client, kominkan, provider_member, make_opportunity
):
    opportunity = make_opportunity(kominkan, provider_member, status="published")
    response = member_client.post(action_url("withdraw", opportunity), {"withdraw-reason": "講師の都合で中止を検討"})
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Status.WITHDRAWN
    entry = history_for(opportunity).last()
    assert (entry.action, entry.reason) == ("opportunity.withdraw", "講師の都合で中止を検討")

    response = member_client.post(action_url("reopen", opportunity))
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT


def test_cancel_needs_a_reason_and_records_it(member_client, kominkan, provider_member, make_opportunity):
    """Cancelling without a reason is refused beside the reason box; with one, it is recorded."""
    opportunity = make_opportunity(kominkan, provider_member, status="published")
    response = member_client.post(action_url("cancel", opportunity), {"cancel-reason": "   "})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_cancel-reason_error"' in body
    assert 'href="#id_cancel-reason"' in body  # the notice at the top leads to the box
    assert "Give the reason for the cancellation" in body
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED

    response = member_client.post(action_url("cancel", opportunity), {"cancel-reason": "台風接近のため"})
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Status.CANCELLED
    assert history_for(opportunity).last().reason == "台風接近のため"


def test_coordinator_of_the_municipality_can_act_for_a_provider(
    client, kominkan, provider_member, coordinator, make_opportunity
):
    """A coordinator may act for any provider of their municipality."""
    opportunity = make_opportunity(kominkan, provider_member, status="published")
    client.force_login(coordinator)
    response = client.post(action_url("withdraw", opportunity), {"withdraw-reason": "重複掲載"})
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == Status.WITHDRAWN


# --- who may -------------------------------------------------------------------------------------


def test_another_providers_member_is_forbidden(client, kominkan, provider_member, other_member, make_opportunity):
    """A member of another organization gets 403 on every page and action, and changes nothing."""
    opportunity = make_opportunity(kominkan, provider_member)
    client.force_login(other_member)
    assert client.get(edit_url(opportunity)).status_code == 403
    assert client.get(reverse("catalog:opportunity_create", args=[kominkan.pk])).status_code == 403
    assert (
        client.post(reverse("catalog:opportunity_create", args=[kominkan.pk]), new_opportunity_data()).status_code
        == 403
    )
    assert client.post(edit_url(opportunity), new_opportunity_data(title="乗っ取り")).status_code == 403
    response = client.post(action_url("submit", opportunity))
    assert response.status_code == 403
    assert kominkan.name in response.content.decode()
    assert client.post(action_url("withdraw", opportunity)).status_code == 403
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.title) == (Status.DRAFT, "スマートフォン活用講座")
    assert LearningOpportunity.objects.count() == 1


def test_coordinator_of_another_municipality_is_forbidden(
    client, kominkan, provider_member, chitose_coordinator, make_opportunity
):
    opportunity = make_opportunity(kominkan, provider_member, status="published")
    client.force_login(chitose_coordinator)
    assert client.get(edit_url(opportunity)).status_code == 403
    assert client.post(action_url("cancel", opportunity), {"cancel-reason": "誤操作"}).status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED


def test_coordinator_of_the_municipality_can_open_the_edit_page(
    client, kominkan, provider_member, coordinator, make_opportunity
):
    opportunity = make_opportunity(kominkan, provider_member)
    client.force_login(coordinator)
    response = client.get(edit_url(opportunity))
    assert response.status_code == 200
    assert response.context["editor"] is not None


def test_citizen_without_organization_sees_an_empty_dashboard(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("catalog:provider_dashboard"))
    assert response.status_code == 200
    assert "does not act for a provider organization" in response.content.decode()


def test_unknown_opportunity_is_not_found(member_client):
    assert member_client.get(reverse("catalog:opportunity_edit", args=[999999])).status_code == 404
    assert member_client.post(reverse("catalog:opportunity_submit", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "provider_dashboard"), ("get", "opportunity_edit"), ("get", "opportunity_create"),
     ("post", "opportunity_submit"), ("post", "opportunity_cancel")],
)  # fmt: skip
def test_anonymous_is_sent_to_log_in(client, kominkan, provider_member, make_opportunity, method, name):
    opportunity = make_opportunity(kominkan, provider_member)
    args = {"provider_dashboard": [], "opportunity_create": [kominkan.pk]}.get(name, [opportunity.pk])
    url = reverse(f"catalog:{name}", args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT


def test_a_save_by_someone_else_meanwhile_is_not_overwritten(
    member_client, kominkan, provider_member, coordinator, make_opportunity
):
    """Two people edit the same opportunity; the second save is refused, keeping what they typed,
    instead of silently dropping the date the first one added."""
    opportunity = make_opportunity(kominkan, provider_member)
    stale = page_data(member_client.get(edit_url(opportunity)).context["editor"])
    first = opportunity.sessions.get()
    services.opportunity_update(
        actor=coordinator,
        opportunity=opportunity,
        sessions=[
            services.SessionSpec(id=first.pk, starts_at=first.starts_at, ends_at=first.ends_at),
            services.SessionSpec(starts_at=future(21)),
        ],
    )
    stale["summary"] = "私の変更"
    response = member_client.post(edit_url(opportunity), stale)
    assert response.status_code == 200
    assert "Someone else saved" in response.context["editor"].form.non_field_errors()[0]
    assert 'value="私の変更"' in response.content.decode()
    assert opportunity.sessions.count() == 2


def test_a_date_over_several_days_survives_an_edit(member_client, kominkan, provider_member, make_opportunity):
    """An exhibition from one day to another (as imports make them) can be edited and saved as is."""
    start = future(5, hour=9)
    end = start + dt.timedelta(days=4, hours=8)
    opportunity = make_opportunity(
        kominkan,
        provider_member,
        title="公民館まつり 作品展",
        sessions=[services.SessionSpec(starts_at=start, ends_at=end)],
    )
    data = page_data(member_client.get(edit_url(opportunity)).context["editor"])
    assert data["sessions-0-end_date"] == end.date()
    data["summary"] = "サークルの作品を展示します"
    assert member_client.post(edit_url(opportunity), data).status_code == 302
    session = opportunity.sessions.get()
    assert (session.starts_at, session.ends_at) == (start, end)


def test_a_later_end_day_needs_its_time(member_client, kominkan, provider_member, make_opportunity):
    opportunity = make_opportunity(kominkan, provider_member)
    data = page_data(member_client.get(edit_url(opportunity)).context["editor"])
    data["sessions-0-end_date"] = future(20).date().isoformat()
    data.pop("sessions-0-end_time", None)
    response = member_client.post(edit_url(opportunity), data)
    assert response.status_code == 200
    assert response.context["editor"].sessions.forms[0].errors["end_time"] == ["Give the time it ends on that day."]
