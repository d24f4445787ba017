"""The coordinators' and organizations' staff pages of the talent bank: registrations, the 出前講座
workflow from the request to the decision notice, the figures, and volunteer needs; and who is
refused what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from manabiya.catalog.models import Status
from manabiya.talent import selectors, services
from manabiya.talent.models import LectureRequest, LecturerInvitation, TalentProfile, VolunteerAssignment

from ..conftest import future
from .conftest import make_profile, request_lecture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    """Assertions quote the English messages."""


def _decide_url(lecture) -> str:
    return reverse("talent:request_detail", args=[lecture.pk])


def _need(organization, actor, *, people=2, **fields):
    start = future(10)
    values = {
        "kind": "school", "title": "図書室の読み聞かせ", "description": "低学年に絵本を読みます。",
        "place": "本町小学校", "area": "本町", "starts_at": start, "ends_at": start + dt.timedelta(hours=2),
        "skills": "読み聞かせ", "people_needed": people,
    }  # fmt: skip
    return services.need_post(actor=actor, organization=organization, **{**values, **fields})


def _volunteer(municipality, coordinator, **fields):
    return make_profile(
        municipality, approve_by=coordinator, is_instructor=False, is_volunteer=True, keywords="読み聞かせ", **fields
    )


# --- who is refused ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["citizen", "other_member", "chitose_coordinator"])
def test_staff_pages_refuse_citizens_other_providers_and_other_cities(
    request, client, who, koganei, coordinator, topic, group_leader
):
    """Only Koganei's coordinators see Koganei's queue, registrations, requests and figures; another
    city's coordinator has their own start page and figures, with nothing of Koganei's."""
    profile = make_profile(koganei, name="佐藤 一郎")
    lecture = request_lecture(topic, group_leader)
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("talent:profile_review", args=[profile.pk]),
        reverse("talent:request_detail", args=[lecture.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    response = client.post(reverse("talent:profile_review", args=[profile.pk]), {"decision": "approve"})
    assert response.status_code in (403, 404)
    decide = client.post(
        reverse("talent:request_detail", args=[lecture.pk]), {"action": "refuse", "refuse-reason": "x"}
    )
    assert decide.status_code in (403, 404)
    profile.refresh_from_db()
    lecture.refresh_from_db()
    assert profile.state == TalentProfile.State.PENDING and lecture.state == LectureRequest.State.SUBMITTED
    index = client.get(reverse("talent:staff_index"))
    figures = client.get(reverse("talent:figures"), {"municipality": koganei.pk})
    if who == "chitose_coordinator":
        assert index.status_code == 200 and figures.status_code == 200
        page = index.content.decode()
        assert "佐藤 一郎" not in page and lecture.group_name not in page and topic.title not in page
        assert figures.context["municipality"].code == "012246"
    else:
        assert index.status_code == 403 and figures.status_code == 403


def test_staff_pages_send_visitors_to_log_in(client):
    response = client.get(reverse("talent:staff_index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_citys_coordinator_cannot_withdraw_an_invitation(
    client, coordinator, chitose_coordinator, topic, lecturer, group_leader
):
    lecture = request_lecture(topic, group_leader)
    invitation = services.lecturer_invite(actor=coordinator, request=lecture, talent=lecturer)
    client.force_login(chitose_coordinator)
    assert client.post(reverse("talent:invitation_withdraw", args=[invitation.pk])).status_code == 403
    invitation.refresh_from_db()
    assert invitation.state == LecturerInvitation.State.ASKED


# --- the start page and registrations ------------------------------------------------------------


def test_the_index_lists_waiting_registrations_requests_with_warnings_and_the_menu(
    client, koganei, coordinator, topic, group_leader
):
    pending = make_profile(koganei, name="佐藤 一郎")
    warned = request_lecture(topic, group_leader, days=5, expected=3)
    client.force_login(coordinator)
    page = client.get(reverse("talent:staff_index")).content.decode()
    assert "佐藤 一郎" in page and reverse("talent:profile_review", args=[pending.pk]) in page
    assert reverse("talent:request_detail", args=[warned.pk]) in page and "2 rule warnings" in page
    assert reverse("talent:topic_edit", args=[topic.pk]) in page and reverse("talent:topic_new") in page
    assert reverse("talent:figures") in page and reverse("talent:staff_needs") in page


def test_the_index_reads_a_fixed_number_of_queries(
    client, koganei, coordinator, topic, group_leader, django_assert_max_num_queries
):
    for n in range(6):
        make_profile(koganei)
        request_lecture(topic, group_leader, days=30 + n)
    client.force_login(coordinator)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("talent:staff_index")).status_code == 200


def test_a_private_item_never_appears_on_profile_review(client, koganei, coordinator):
    """Coordinators read contact details and coordinator-only items, never what the registrant kept private."""
    visibility = {**dict.fromkeys(TalentProfile.ITEMS, "public"), "biography": "private", "topics": "coordinators"}
    profile = make_profile(koganei, visibility=visibility, biography="昔の勤め先は秘密です", topics="スマホ入門講座")
    client.force_login(coordinator)
    page = client.get(reverse("talent:profile_review", args=[profile.pk])).content.decode()
    assert "昔の勤め先は秘密です" not in page
    assert "スマホ入門講座" in page and profile.contact_email in page and profile.contact_phone in page
    assert "Short biography" in page.split("Kept to the registrant")[1], "says an item is kept private"


def test_a_private_name_is_replaced_by_the_registrations_number(client, koganei, coordinator):
    visibility = {**dict.fromkeys(TalentProfile.ITEMS, "public"), "name": "private"}
    profile = make_profile(koganei, visibility=visibility, name="匿名 希望")
    client.force_login(coordinator)
    for url in (reverse("talent:profile_review", args=[profile.pk]), reverse("talent:staff_index")):
        page = client.get(url).content.decode()
        assert "匿名 希望" not in page and f"Registration No. {profile.pk}" in page


def test_a_coordinator_approves_a_registration_or_refuses_it_with_a_reason(client, koganei, coordinator):
    first, second = make_profile(koganei), make_profile(koganei)
    client.force_login(coordinator)
    response = client.post(reverse("talent:profile_review", args=[first.pk]), {"decision": "approve"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == TalentProfile.State.APPROVED and first.valid_until is not None
    url = reverse("talent:profile_review", args=[second.pk])
    refused = client.post(url, {"decision": "refuse", "reason": "  "})
    assert refused.status_code == 200 and "Say why" in str(refused.context["form"].errors["reason"])
    client.post(url, {"decision": "refuse", "reason": "営利目的の講座のため"})
    second.refresh_from_db()
    assert (second.state, second.decision_reason) == (TalentProfile.State.REJECTED, "営利目的の講座のため")


# --- the menu ------------------------------------------------------------------------------------


def test_a_coordinator_adds_a_topic_with_a_registered_lecturer(client, coordinator, board, lecturer):
    client.force_login(coordinator)
    page = client.get(reverse("talent:topic_new"))
    assert lecturer.name in page.content.decode()
    data = {
        "provider": board.pk, "talent": lecturer.pk, "title": "写真の整理術",
        "description": "スマホの写真を整理します。", "category": "", "audience": "どなたでも",
        "duration_minutes": 60, "min_group_size": 5, "active": "on",
    }  # fmt: skip
    response = client.post(reverse("talent:topic_new"), data)
    topic = board.lecture_topics.get(title="写真の整理術")
    assert response.status_code == 302 and (topic.talent, topic.duration_minutes) == (lecturer, 60)
    short = client.post(reverse("talent:topic_edit", args=[topic.pk]), {**data, "duration_minutes": 5})
    assert short.status_code == 200 and "duration_minutes" in short.context["form"].errors
    assert 'value="写真の整理術"' in short.content.decode()


def test_an_organization_edits_its_own_topics_only(client, provider_member, kominkan, topic):
    own = services.topic_save(
        actor=provider_member, provider=kominkan, title="公民館の歩き方", description="施設の使い方。"
    )
    client.force_login(provider_member)
    assert client.get(reverse("talent:topic_edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("talent:topic_edit", args=[topic.pk])).status_code == 403
    new_page = client.get(reverse("talent:topic_new")).content.decode()
    assert kominkan.name in new_page and topic.provider.name not in new_page


# --- a delivery lecture request ------------------------------------------------------------------


def test_a_request_against_the_rules_shows_its_warnings_and_is_not_decided_without_weighing_them(
    client, coordinator, topic, group_leader, venue
):
    """5 days ahead for 3 people: both warnings shown; deciding needs the box, and keeps what was typed."""
    lecture = request_lecture(topic, group_leader, days=5, expected=3)
    client.force_login(coordinator)
    page = client.get(_decide_url(lecture)).content.decode()
    assert "less than 20 days away" in page and "3 people expected" in page
    assert lecture.contact_email in page and lecture.contact_phone in page
    data = {"action": "decide", "decide-date_rank": 1, "decide-venue": venue.pk, "decide-note": "鍵は町会長が開けます"}
    response = client.post(_decide_url(lecture), data)
    assert response.status_code == 200
    assert "warnings_seen" in response.context["forms"]["decide"].errors
    assert "鍵は町会長が開けます" in response.content.decode()
    lecture.refresh_from_db()
    assert lecture.state == LectureRequest.State.SUBMITTED and lecture.opportunity is None
    decided = client.post(_decide_url(lecture), {**data, "decide-warnings_seen": "on"})
    assert decided.status_code == 302
    lecture.refresh_from_db()
    assert lecture.state == LectureRequest.State.DECIDED and not lecture.listed_publicly


def test_ranked_candidates_show_their_score_and_reasons(client, koganei, coordinator, topic, lecturer, group_leader):
    other = make_profile(koganei, approve_by=coordinator, name="鈴木 次郎", categories=("music",), keywords="ピアノ")
    lecture = request_lecture(topic, group_leader)
    client.force_login(coordinator)
    response = client.get(_decide_url(lecture))
    (best, best_name, _earlier), (second, second_name, _) = response.context["candidates"][:2]
    assert (best_name, second_name) == ("山田 花子", "鈴木 次郎") and best.score > second.score
    page = response.content.decode()
    assert "Expertise in the topic&#x27;s category (+30)" in page
    assert page.index("山田 花子") < page.index("鈴木 次郎")
    assert f'name="ask-talent" value="{other.pk}"' in page


def test_ask_accept_and_decide_lists_the_lecture_and_sends_the_decision(
    client, coordinator, topic, lecturer, group_leader, venue, django_capture_on_commit_callbacks
):
    """The whole way: asked from the page, accepted by the lecturer, decided on the page."""
    topic = services.topic_save(actor=coordinator, topic=topic, talent=lecturer)
    lecture = request_lecture(topic, group_leader)
    client.force_login(coordinator)
    asked = client.post(
        _decide_url(lecture), {"action": "ask", "ask-talent": lecturer.pk, "ask-message": "ぜひお願いします"}
    )
    assert asked.status_code == 302
    invitation = lecture.invitations.get()
    assert (invitation.talent, invitation.message) == (lecturer, "ぜひお願いします")
    assert "Withdraw" in client.get(_decide_url(lecture)).content.decode()
    services.invitation_answer(actor=lecturer.user, invitation=invitation, accept=True)
    page = client.get(_decide_url(lecture))
    assert "decide" in page.context["forms"] and page.context["steps"]["decide"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(
            _decide_url(lecture),
            {"action": "decide", "decide-date_rank": 1, "decide-listed_publicly": "on", "decide-venue": venue.pk,
             "decide-note": "駐車場はありません"},
        )  # fmt: skip
    assert decided.status_code == 302
    lecture.refresh_from_db()
    assert lecture.state == LectureRequest.State.DECIDED and lecture.lecturer == lecturer
    assert lecture.opportunity.status == Status.PUBLISHED and lecture.opportunity.sessions.count() == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([lecture.contact_email, lecturer.contact_email])
    assert any("駐車場はありません" in message.body for message in mail.outbox)
    page = client.get(_decide_url(lecture)).content.decode()
    assert reverse("catalog:opportunity_detail", args=[lecture.opportunity.pk]) in page


def test_listing_publicly_without_a_venue_is_refused_next_to_the_venue(client, coordinator, topic, group_leader):
    lecture = request_lecture(topic, group_leader)
    client.force_login(coordinator)
    data = {"action": "decide", "decide-date_rank": 1, "decide-listed_publicly": "on", "decide-note": "よろしく"}
    response = client.post(_decide_url(lecture), data)
    assert response.status_code == 200
    assert "Choose a venue" in str(response.context["forms"]["decide"].errors["venue"])
    assert "よろしく" in response.content.decode()
    lecture.refresh_from_db()
    assert lecture.state == LectureRequest.State.SUBMITTED and lecture.opportunity is None


def test_a_private_lecture_says_it_is_kept_private(client, coordinator, topic, group_leader):
    lecture = services.request_decide(actor=coordinator, request=request_lecture(topic, group_leader), date_rank=1)
    client.force_login(coordinator)
    page = client.get(_decide_url(lecture)).content.decode()
    assert "Kept private" in page and reverse("catalog:opportunity_detail", args=[lecture.opportunity_id]) not in page


def test_the_coordinator_withdraws_an_unanswered_invitation_to_ask_again(
    client, coordinator, topic, lecturer, group_leader
):
    lecture = request_lecture(topic, group_leader)
    invitation = services.lecturer_invite(actor=coordinator, request=lecture, talent=lecturer)
    client.force_login(coordinator)
    response = client.post(reverse("talent:invitation_withdraw", args=[invitation.pk]), follow=True)
    assert "The invitation is withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    lecture.refresh_from_db()
    assert invitation.state == LecturerInvitation.State.WITHDRAWN and lecture.state == LectureRequest.State.SUBMITTED
    again = client.post(reverse("talent:invitation_withdraw", args=[invitation.pk]), follow=True)
    assert "already been answered or withdrawn" in again.content.decode()
    assert response.context["candidates"], "the candidates are offered again"


def test_refusing_a_request_needs_a_reason_for_the_group(
    client, coordinator, topic, group_leader, django_capture_on_commit_callbacks
):
    lecture = request_lecture(topic, group_leader)
    client.force_login(coordinator)
    empty = client.post(_decide_url(lecture), {"action": "refuse", "refuse-reason": ""})
    assert "Say why" in str(empty.context["forms"]["refuse"].errors["reason"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_decide_url(lecture), {"action": "refuse", "refuse-reason": "講師が見つかりませんでした"})
    lecture.refresh_from_db()
    assert lecture.state == LectureRequest.State.REFUSED
    assert [message.to for message in mail.outbox] == [[lecture.contact_email]]


def test_a_coordinator_reports_a_held_lecture_and_the_figures_count_it_in_its_month(
    client, coordinator, topic, group_leader
):
    lecture = request_lecture(topic, group_leader)
    services.request_decide(actor=coordinator, request=lecture, date_rank=1)
    held = timezone.localtime() - dt.timedelta(days=2)
    LectureRequest.objects.filter(pk=lecture.pk).update(starts_at=held, ends_at=held + dt.timedelta(hours=2))
    client.force_login(coordinator)
    assert "report" in client.get(_decide_url(lecture)).context["forms"]
    response = client.post(_decide_url(lecture), {"action": "report", "report-attendance": 23, "report-note": "盛況"})
    assert response.status_code == 302
    lecture.refresh_from_db()
    assert (lecture.state, lecture.attendance) == (LectureRequest.State.DELIVERED, 23)

    year = selectors.fiscal_year_of(held.date())
    figures = client.get(reverse("talent:figures"), {"year": year})
    (month,) = [m for m in figures.context["figures"].months if m.month == held.date().replace(day=1)]
    assert (month.lectures, month.participants) == (1, 23)
    assert figures.context["figures"].totals.participants == 23
    csv = client.get(reverse("talent:figures"), {"year": year, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert f"{held:%Y-%m},1,23,0,0,0" in csv.content.decode("utf-8-sig")


def test_figures_default_to_the_current_fiscal_year_and_count_registrations(client, koganei, coordinator, lecturer):
    _volunteer(koganei, coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("talent:figures"))
    figures = response.context["figures"]
    assert figures.fiscal_year == selectors.fiscal_year_of(timezone.localdate())
    assert (figures.instructors, figures.volunteers) == (1, 1) and len(figures.months) == 12
    assert figures.months[0].month.month == 4


# --- volunteer needs -----------------------------------------------------------------------------


def test_a_member_posts_a_need_and_an_end_before_the_start_is_refused_next_to_it(client, provider_member, kominkan):
    client.force_login(provider_member)
    start = future(10)
    data = {
        "organization": kominkan.pk, "kind": "event", "title": "夏祭りの受付", "description": "受付と案内。",
        "place": "公民館本館", "area": "本町", "starts_at": f"{start:%Y-%m-%dT%H:%M}",
        "ends_at": f"{start - dt.timedelta(hours=1):%Y-%m-%dT%H:%M}", "skills": "", "people_needed": 3,
    }  # fmt: skip
    refused = client.post(reverse("talent:need_new"), data)
    assert refused.status_code == 200 and "end after it starts" in str(refused.context["form"].errors["ends_at"])
    assert 'value="夏祭りの受付"' in refused.content.decode()
    posted = client.post(
        reverse("talent:need_new"), {**data, "ends_at": f"{start + dt.timedelta(hours=3):%Y-%m-%dT%H:%M}"}
    )
    need = kominkan.volunteer_needs.get()
    assert posted.status_code == 302 and posted["Location"] == reverse("talent:need_manage", args=[need.pk])
    listing = client.get(reverse("talent:staff_needs")).content.decode()
    assert "夏祭りの受付" in listing and "0 of 3 confirmed" in listing


def test_a_provider_member_cannot_manage_another_organizations_need(
    client, koganei, coordinator, provider_member, kominkan, other_member
):
    need = _need(kominkan, provider_member)
    volunteer = _volunteer(koganei, coordinator)
    assignment = services.volunteer_apply(actor=volunteer.user, need=need, talent=volunteer)
    client.force_login(other_member)
    url = reverse("talent:need_manage", args=[need.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "confirm", "assignment": assignment.pk}).status_code == 403
    assert client.post(url, {"action": "cancel"}).status_code == 403
    assert need.title not in client.get(reverse("talent:staff_needs")).content.decode()
    assignment.refresh_from_db()
    need.refresh_from_db()
    assert assignment.state == VolunteerAssignment.State.APPLIED and need.state == "open"
    citizen_user = volunteer.user
    client.force_login(citizen_user)
    assert client.get(reverse("talent:staff_needs")).status_code == 403
    assert client.get(reverse("talent:need_new")).status_code == 403


def test_confirming_beyond_the_people_needed_shows_the_refusal(client, koganei, coordinator, provider_member, kominkan):
    need = _need(kominkan, provider_member, people=1)
    first, second = _volunteer(koganei, coordinator), _volunteer(koganei, coordinator)
    a = services.volunteer_apply(actor=first.user, need=need, talent=first)
    b = services.volunteer_apply(actor=second.user, need=need, talent=second)
    client.force_login(provider_member)
    url = reverse("talent:need_manage", args=[need.pk])
    ok = client.post(url, {"action": "confirm", "assignment": a.pk}, follow=True)
    assert "Confirmed" in ok.content.decode()
    full = client.post(url, {"action": "confirm", "assignment": b.pk}, follow=True)
    assert "All 1 places are filled." in full.content.decode()
    b.refresh_from_db()
    assert b.state == VolunteerAssignment.State.APPLIED
    assert need.assignments.filter(state=VolunteerAssignment.State.CONFIRMED).count() == 1


def test_coordinators_invite_ranked_volunteers_and_organizations_see_no_ranking(
    client, koganei, coordinator, provider_member, kominkan
):
    """The ranking reads coordinator-only items, so only coordinators are shown it."""
    need = _need(kominkan, provider_member)
    volunteer = _volunteer(koganei, coordinator, name="読書 好子")
    client.force_login(provider_member)
    assert client.get(reverse("talent:need_manage", args=[need.pk])).context["candidates"] == []
    client.force_login(coordinator)
    url = reverse("talent:need_manage", args=[need.pk])
    page = client.get(url)
    ((ranked, name),) = page.context["candidates"]
    assert name == "読書 好子" and ranked.reasons
    assert any("Keywords match" in reason.text for reason in ranked.reasons)
    client.post(url, {"action": "invite", "talent": volunteer.pk})
    assert need.assignments.get().state == VolunteerAssignment.State.INVITED
    assert client.get(url).context["candidates"] == [], "who is on it is not offered again"


def test_after_the_activity_the_staff_log_who_took_part_and_for_how_long(
    client, koganei, coordinator, provider_member, kominkan
):
    need = _need(kominkan, provider_member)
    came, absent = _volunteer(koganei, coordinator), _volunteer(koganei, coordinator)
    assignments = []
    for volunteer in (came, absent):
        assignment = services.volunteer_apply(actor=volunteer.user, need=need, talent=volunteer)
        assignments.append(services.volunteer_confirm(actor=provider_member, assignment=assignment))
    started = timezone.localtime() - dt.timedelta(days=1)
    type(need).objects.filter(pk=need.pk).update(starts_at=started, ends_at=started + dt.timedelta(hours=2))
    client.force_login(provider_member)
    url = reverse("talent:need_manage", args=[need.pk])
    form = client.get(url).context["log_form"]
    assert form[f"hours_{assignments[0].pk}"].initial == Decimal("2")
    first, second = assignments
    data = {"action": "log", f"attended_{first.pk}": "yes", f"hours_{first.pk}": "2.5",
            f"attended_{second.pk}": "no", f"hours_{second.pk}": ""}  # fmt: skip
    bad = client.post(url, {**data, f"hours_{first.pk}": "30"})
    assert bad.status_code == 200 and f"hours_{first.pk}" in bad.context["log_form"].errors
    assert client.post(url, data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attended, first.hours) == (True, Decimal("2.5")) and (second.attended, second.hours) == (False, None)
    client.force_login(coordinator)
    figures = client.get(reverse("talent:figures"), {"year": selectors.fiscal_year_of(started.date())})
    (month,) = [m for m in figures.context["figures"].months if m.month == started.date().replace(day=1)]
    assert (month.activities, month.person_days, month.hours) == (1, 1, 2.5)


def test_closing_a_need_stops_it_looking_for_volunteers(client, provider_member, kominkan):
    need = _need(kominkan, provider_member)
    client.force_login(provider_member)
    response = client.post(reverse("talent:need_manage", args=[need.pk]), {"action": "close"}, follow=True)
    need.refresh_from_db()
    assert need.state == "closed" and "The need is closed." in response.content.decode()
    assert not response.context["looking"]
