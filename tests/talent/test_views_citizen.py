"""The talent bank's public and citizen pages: the directory shows only what each person published,
contact goes through the platform, requests, registrations, invitations and volunteering, and who is
refused what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from manabiya.core import services as core_services
from manabiya.talent import services
from manabiya.talent.models import (
    LectureRequest,
    LecturerInvitation,
    TalentProfile,
    VolunteerAssignment,
    VolunteerNeed,
)

from ..conftest import future, make_user
from .conftest import make_profile, request_lecture

pytestmark = pytest.mark.django_db

PUBLIC_MARK = "Zephyrine"
COORDINATOR_MARK = "Quillwort"
PRIVATE_MARK = "Vexbracken"


@pytest.fixture(autouse=True)
def _in_english(english):
    """Assertions quote the English messages."""


@pytest.fixture
def guarded(koganei, coordinator):
    """A registrant who published some items and kept others to the coordinators or to themselves."""
    visibility = dict.fromkeys(TalentProfile.ITEMS, "public")
    visibility.update(qualifications="coordinators", biography="private")
    return make_profile(
        koganei,
        approve_by=coordinator,
        name="佐藤 公開",
        topics=f"着付け教室 {PUBLIC_MARK}",
        qualifications=f"着付け師範 {COORDINATOR_MARK}",
        biography=f"元教員 {PRIVATE_MARK}",
        contact_email="sato.private@example.jp",
        contact_phone="090-9876-5432",
        visibility=visibility,
    )


@pytest.fixture
def nameless(koganei, coordinator):
    """A registrant who kept even their name to the coordinators."""
    visibility = dict.fromkeys(TalentProfile.ITEMS, "public")
    visibility["name"] = "coordinators"
    return make_profile(koganei, approve_by=coordinator, name="鈴木 非公開", visibility=visibility)


def _decided(topic, user, lecturer, coordinator, *, days=30):
    """A request decided with `lecturer`."""
    lecture = request_lecture(topic, user, days=days)
    invitation = services.lecturer_invite(actor=coordinator, request=lecture, talent=lecturer)
    services.invitation_answer(actor=lecturer.user, invitation=invitation, accept=True)
    return services.request_decide(actor=coordinator, request=lecture, date_rank=1)


def _held(lecture):
    """Move a decided lecture into the past, as if it had been held."""
    past = timezone.now() - dt.timedelta(days=2)
    LectureRequest.objects.filter(pk=lecture.pk).update(starts_at=past, ends_at=past + dt.timedelta(hours=2))
    lecture.refresh_from_db()
    return lecture


# --- the directory and a registration's page ------------------------------------------------------


def test_the_directory_and_profile_show_public_items_and_never_the_others(client, guarded):
    """Coordinators-only and private items, and contact details, never reach a public page."""
    pages = [
        client.get(reverse("talent:directory")),
        client.get(reverse("talent:profile_detail", args=[guarded.pk])),
        client.get(reverse("talent:directory"), {"q": "着付け"}),
    ]
    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200
        assert "佐藤 公開" in page and PUBLIC_MARK in page
        for secret in (COORDINATOR_MARK, PRIVATE_MARK, "着付け師範", "元教員", guarded.contact_email,
                       guarded.contact_phone):  # fmt: skip
            assert secret not in page, secret


def test_a_directory_search_does_not_find_what_is_not_public(client, guarded):
    """Searching for a word of a hidden item finds nobody, and shows nothing of it."""
    for word in (COORDINATOR_MARK, PRIVATE_MARK):
        response = client.get(reverse("talent:directory"), {"q": word})
        assert response.context["total"] == 0
        page = response.content.decode()
        assert "佐藤 公開" not in page and guarded.contact_email not in page
    assert client.get(reverse("talent:directory"), {"q": PUBLIC_MARK}).context["total"] == 1


def test_a_name_kept_from_the_public_shows_as_not_published(client, nameless):
    page = client.get(reverse("talent:directory")).content.decode()
    assert "鈴木 非公開" not in page and "Name not published" in page
    detail = client.get(reverse("talent:profile_detail", args=[nameless.pk])).content.decode()
    assert "鈴木 非公開" not in detail and "Name not published" in detail
    assert client.get(reverse("talent:directory"), {"q": "鈴木"}).context["total"] == 0


def test_the_directory_filters_by_role_category_and_city(client, koganei, chitose, coordinator, guarded):
    volunteer = make_profile(koganei, approve_by=coordinator, name="ボランティア 一郎", is_instructor=False,
                             is_volunteer=True, categories=("cooking",))  # fmt: skip
    url = reverse("talent:directory")
    names = lambda response: [v.name for v in response.context["page"].object_list]  # noqa: E731
    assert names(client.get(url, {"role": "volunteer"})) == [volunteer.name]
    cooking = volunteer.categories.get()
    assert names(client.get(url, {"category": cooking.pk})) == [volunteer.name]
    assert names(client.get(url, {"municipality": chitose.code})) == []
    assert set(names(client.get(url, {"municipality": koganei.code}))) == {volunteer.name, guarded.name}


def test_a_pending_registration_is_not_listed(client, koganei):
    pending = make_profile(koganei, name="審査中 太郎")
    assert "審査中 太郎" not in client.get(reverse("talent:directory")).content.decode()
    assert client.get(reverse("talent:profile_detail", args=[pending.pk])).status_code == 404


def test_the_directory_reads_in_a_few_queries(client, koganei, coordinator, django_assert_max_num_queries):
    for _n in range(6):
        make_profile(koganei, approve_by=coordinator)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("talent:directory")).status_code == 200


# --- contact through the platform -----------------------------------------------------------------


def test_a_message_is_relayed_with_reply_to_the_sender_and_no_address_shown(
    client, citizen, guarded, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    page = client.get(reverse("talent:profile_detail", args=[guarded.pk])).content.decode()
    assert "address is not shown" in page and guarded.contact_email not in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("talent:contact", args=[guarded.pk]),
            {"body": "町会で着付けの講座をお願いできますか。"},
            follow=True,
        )
    assert response.status_code == 200
    assert guarded.contact_email not in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [guarded.contact_email]
    assert message.reply_to == [citizen.email]
    assert "着付けの講座" in message.body


def test_a_too_short_message_is_refused_next_to_the_field_keeping_the_text(client, citizen, guarded):
    client.force_login(citizen)
    response = client.post(reverse("talent:contact", args=[guarded.pk]), {"body": "  よろしく "})
    assert response.status_code == 200
    assert "Write a few words" in str(response.context["form"].errors["body"])
    assert "よろしく" in response.content.decode()
    assert not mail.outbox or all(m.to != [guarded.contact_email] for m in mail.outbox)


def test_contact_needs_a_login(client, guarded):
    response = client.post(reverse("talent:contact", args=[guarded.pk]), {"body": "町会で講座をお願いできますか。"})
    assert response.status_code == 302 and "login" in response["Location"]
    page = client.get(reverse("talent:profile_detail", args=[guarded.pk])).content.decode()
    assert "Log in to send a message" in page


# --- the menu and requests ------------------------------------------------------------------------


def test_the_menu_and_a_topic_show_the_rules_and_the_request_link(client, topic):
    assert topic.title in client.get(reverse("talent:menu")).content.decode()
    page = client.get(reverse("talent:topic_detail", args=[topic.pk])).content.decode()
    assert "90 minutes" in page and "20 days" in page and "political, religious or commercial" in page
    assert reverse("talent:request_new", args=[topic.pk]) in page


def test_a_topic_names_its_citizen_lecturer_only_as_published(client, coordinator, board, nameless):
    topic = services.topic_save(actor=coordinator, provider=board, talent=nameless, title="折り紙", description="…")
    response = client.get(reverse("talent:topic_detail", args=[topic.pk]))
    page = response.content.decode()
    # The lecturer is there, as their public registration shows them: a link, without the name.
    assert response.status_code == 200 and "折り紙" in page
    assert reverse("talent:profile_detail", args=[nameless.pk]) in page and "A lecturer of the talent bank" in page
    assert nameless.name not in page and nameless.contact_email not in page


def _request_data(**changes):
    day = timezone.localdate() + dt.timedelta(days=40)
    data = {
        "group_name": "本町三丁目町会", "group_kind": "neighbourhood", "contact_name": "町会 長",
        "contact_email": "chokai@example.jp", "contact_phone": "042-111-2222", "place": "本町 町会会館",
        "expected_attendance": "15", "purpose": "高齢者の会員がスマホを使えるように",
        "date_1": day.isoformat(), "start_1": "10:00", "end_1": "12:00",
        "date_2": "", "start_2": "", "end_2": "", "date_3": "", "start_3": "", "end_3": "",
        "note": "", "agrees_to_rules": "on",
    }  # fmt: skip
    return {**data, **changes}


def test_a_request_round_trip_prefills_keeps_what_was_typed_and_then_is_received(client, topic, group_leader):
    client.force_login(group_leader)
    url = reverse("talent:request_new", args=[topic.pk])
    form = client.get(url).context["form"]
    assert form["contact_email"].value() == group_leader.email
    # An end before the start is refused next to the field; what was typed stays.
    response = client.post(url, _request_data(end_1="09:00", purpose="独自の目的の文章"))
    assert response.status_code == 200
    assert "end_1" in response.context["form"].errors
    assert "独自の目的の文章" in response.content.decode()
    # The rules box must be ticked.
    response = client.post(url, {k: v for k, v in _request_data().items() if k != "agrees_to_rules"})
    assert "agrees_to_rules" in response.context["form"].errors
    # A date in the past is the service's refusal, shown beside the first date.
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    response = client.post(url, _request_data(date_1=past))
    assert "Choose dates still to come" in str(response.context["form"].errors["date_1"])
    assert 'value="本町三丁目町会"' in response.content.decode()
    assert not LectureRequest.objects.exists()
    response = client.post(url, _request_data(date_2=(timezone.localdate() + dt.timedelta(days=41)).isoformat(),
                                              start_2="13:00", end_2="15:00"))  # fmt: skip
    assert response.status_code == 302 and response["Location"] == reverse("talent:my_requests")
    lecture = LectureRequest.objects.get()
    assert (lecture.requested_by, lecture.group_name, lecture.dates.count()) == (group_leader, "本町三丁目町会", 2)
    assert lecture.warnings == []


def test_a_request_outside_the_rules_is_taken_and_its_warnings_shown(client, topic, group_leader):
    client.force_login(group_leader)
    soon = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(
        reverse("talent:request_new", args=[topic.pk]), _request_data(date_1=soon, expected_attendance="4"),
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert LectureRequest.objects.count() == 1
    assert "still received" in page or "still stands" in page
    assert "20 days" in page and "groups of 10 or more" in page


def test_my_requests_show_state_dates_and_cancel(client, topic, group_leader):
    lecture = request_lecture(topic, group_leader)
    client.force_login(group_leader)
    page = client.get(reverse("talent:my_requests")).content.decode()
    assert topic.title in page and "Received" in page
    assert reverse("talent:request_cancel", args=[lecture.pk]) in page
    client.post(reverse("talent:request_cancel", args=[lecture.pk]))
    lecture.refresh_from_db()
    assert lecture.state == LectureRequest.State.CANCELLED


def test_a_citizen_cannot_see_cancel_or_report_anothers_request(client, topic, group_leader, citizen):
    lecture = request_lecture(topic, group_leader)
    client.force_login(citizen)
    assert topic.title not in client.get(reverse("talent:my_requests")).content.decode()
    assert client.post(reverse("talent:request_cancel", args=[lecture.pk])).status_code == 404
    assert client.get(reverse("talent:lecture_report", args=[lecture.pk])).status_code == 404
    assert client.post(reverse("talent:lecture_report", args=[lecture.pk]), {"attendance": 3}).status_code == 404
    lecture.refresh_from_db()
    assert lecture.state == LectureRequest.State.SUBMITTED


def test_the_group_reports_and_rates_a_held_lecture(client, topic, group_leader, lecturer, coordinator):
    lecture = _held(_decided(topic, group_leader, lecturer, coordinator))
    client.force_login(group_leader)
    page = client.get(reverse("talent:my_requests")).content.decode()
    assert lecturer.name in page and reverse("talent:lecture_report", args=[lecture.pk]) in page
    assert lecturer.contact_email not in page and lecturer.contact_phone not in page
    url = reverse("talent:lecture_report", args=[lecture.pk])
    response = client.post(url, {"attendance": "0", "rating": "5", "note": "とても良かった"})
    assert "attendance" in response.context["form"].errors and "とても良かった" in response.content.decode()
    response = client.post(url, {"attendance": "18", "rating": "5", "note": "とても良かった"})
    assert response.status_code == 302
    lecture.refresh_from_db()
    assert (lecture.state, lecture.attendance, lecture.rating) == (LectureRequest.State.DELIVERED, 18, 5)


# --- a lecturer's invitations ---------------------------------------------------------------------


def test_the_lecturer_sees_the_request_without_the_groups_contact_and_accepts(
    client, topic, group_leader, lecturer, coordinator
):
    lecture = request_lecture(topic, group_leader, contact_phone="042-999-8888")
    invitation = services.lecturer_invite(actor=coordinator, request=lecture, talent=lecturer)
    client.force_login(lecturer.user)
    page = client.get(reverse("talent:my_invitations")).content.decode()
    assert lecture.group_name in page and lecture.place in page and topic.title in page
    assert "042-999-8888" not in page and lecture.contact_email not in page
    client.post(reverse("talent:invitation_answer", args=[invitation.pk]), {"answer": "accept", "note": "喜んで"})
    invitation.refresh_from_db()
    assert (invitation.state, invitation.answer_note) == (LecturerInvitation.State.ACCEPTED, "喜んで")


def test_a_citizen_cannot_answer_another_lecturers_invitation(client, topic, group_leader, lecturer, coordinator,
                                                              citizen):  # fmt: skip
    lecture = request_lecture(topic, group_leader)
    invitation = services.lecturer_invite(actor=coordinator, request=lecture, talent=lecturer)
    client.force_login(citizen)
    assert topic.title not in client.get(reverse("talent:my_invitations")).content.decode()
    response = client.post(reverse("talent:invitation_answer", args=[invitation.pk]), {"answer": "accept"})
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == LecturerInvitation.State.ASKED


def test_the_lecturer_reports_a_held_lecture_without_rating(client, topic, group_leader, lecturer, coordinator):
    lecture = _held(_decided(topic, group_leader, lecturer, coordinator))
    client.force_login(lecturer.user)
    page = client.get(reverse("talent:my_invitations")).content.decode()
    url = reverse("talent:lecture_report", args=[lecture.pk])
    assert url in page
    assert "rating" not in client.get(url).context["form"].fields
    response = client.post(url, {"attendance": "12", "rating": "5"})
    assert response.status_code == 302 and response["Location"] == reverse("talent:my_invitations")
    lecture.refresh_from_db()
    assert (lecture.attendance, lecture.rating) == (12, None)


# --- the registration -----------------------------------------------------------------------------


def _registration_data(**changes):
    data = {
        "is_instructor": "on", "name": "高橋 登録", "name_kana": "タカハシ トウロク", "keywords": "書道 ペン字",
        "qualifications": "書道師範", "biography": "市内在住三十年", "topics": "やさしい書道", "areas": "本町 緑町",
        "weekdays": ["5", "6"], "times": ["morning"], "fee_policy": "free", "residency": "lives",
        "contact_email": "takahashi@example.jp", "contact_phone": "090-1111-2222", "agrees_to_rules": "on",
        **{f"visibility_{item}": "public" for item in TalentProfile.ITEMS},
        "visibility_qualifications": "coordinators", "visibility_biography": "private",
    }  # fmt: skip
    return {**data, **changes}


def test_registration_saves_each_items_visibility(client, koganei, citizen):
    client.force_login(citizen)
    url = reverse("talent:register", args=[koganei.code])
    form = client.get(url).context["form"]
    assert form["contact_email"].value() == citizen.email
    assert form["visibility_biography"].value() == "coordinators", "coordinators only by default"
    response = client.post(url, _registration_data())
    assert response.status_code == 302 and response["Location"] == reverse("talent:my_profile")
    profile = TalentProfile.objects.get(user=citizen)
    assert profile.visibility == {
        **dict.fromkeys(TalentProfile.ITEMS, "public"), "qualifications": "coordinators", "biography": "private"
    }  # fmt: skip
    assert (profile.weekdays, profile.times, profile.state) == ([5, 6], ["morning"], TalentProfile.State.PENDING)
    page = client.get(reverse("talent:my_profile")).content.decode()
    assert "Waiting for approval" in page and reverse("talent:profile_edit", args=[profile.pk]) in page


def test_registration_refusals_keep_what_was_typed(client, koganei, citizen):
    client.force_login(citizen)
    url = reverse("talent:register", args=[koganei.code])
    response = client.post(url, _registration_data(is_instructor="", biography="消えない経歴"))
    assert response.status_code == 200
    assert "instructor, a volunteer or both" in str(response.context["form"].errors["is_instructor"])
    assert "消えない経歴" in response.content.decode()
    response = client.post(url, {k: v for k, v in _registration_data().items() if k != "agrees_to_rules"})
    assert "agrees_to_rules" in response.context["form"].errors
    assert not TalentProfile.objects.exists()


def test_registration_needs_a_known_city(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("talent:register", args=["999999"])).status_code == 404


def test_the_owner_edits_the_registration_and_others_cannot(client, koganei, coordinator, citizen):
    profile = make_profile(koganei, approve_by=coordinator, biography="古い経歴")
    client.force_login(profile.user)
    url = reverse("talent:profile_edit", args=[profile.pk])
    form = client.get(url).context["form"]
    assert form["biography"].value() == "古い経歴" and form["visibility_biography"].value() == "public"
    data = _registration_data(name=profile.name, visibility_name="private")
    del data["agrees_to_rules"]
    assert client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.visibility_of("name") == "private" and profile.biography == "市内在住三十年"
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    assert client.post(reverse("talent:profile_renew", args=[profile.pk])).status_code == 404


def test_my_profile_previews_what_the_public_sees_and_offers_renewal(client, koganei, coordinator, guarded):
    client.force_login(guarded.user)
    page = client.get(reverse("talent:my_profile")).content.decode()
    assert PUBLIC_MARK in page and COORDINATOR_MARK not in page and PRIVATE_MARK not in page
    assert reverse("talent:profile_renew", args=[guarded.pk]) not in page
    TalentProfile.objects.filter(pk=guarded.pk).update(valid_until=timezone.localdate() + dt.timedelta(days=10))
    page = client.get(reverse("talent:my_profile")).content.decode()
    assert reverse("talent:profile_renew", args=[guarded.pk]) in page
    client.post(reverse("talent:profile_renew", args=[guarded.pk]))
    guarded.refresh_from_db()
    assert guarded.renewal_requested_at is not None


def test_a_member_registers_staff_for_the_organization(client, koganei, kominkan, provider_member):
    client.force_login(provider_member)
    url = reverse("talent:register", args=[koganei.code])
    assert "organization" in client.get(url).context["form"].fields
    client.post(url, _registration_data(organization=str(kominkan.pk)))
    assert TalentProfile.objects.get().organization == kominkan


# --- volunteering ---------------------------------------------------------------------------------


@pytest.fixture
def need(kominkan, coordinator):
    start = future(14)
    return services.need_post(
        actor=coordinator, organization=kominkan, kind=VolunteerNeed.Kind.EVENT, title="公民館まつりの受付",
        description="受付と案内", place="公民館本館", starts_at=start, ends_at=start + dt.timedelta(hours=3),
        people_needed=2,
    )  # fmt: skip


@pytest.fixture
def volunteer(koganei, coordinator):
    return make_profile(koganei, approve_by=coordinator, name="奉仕 花子", is_instructor=False, is_volunteer=True)


def test_a_volunteer_applies_to_an_open_need_and_withdraws(client, need, volunteer):
    assert need.title in client.get(reverse("talent:needs")).content.decode()
    client.force_login(volunteer.user)
    page = client.get(reverse("talent:need_detail", args=[need.pk])).content.decode()
    assert reverse("talent:need_apply", args=[need.pk]) in page
    response = client.post(reverse("talent:need_apply", args=[need.pk]), {"talent": volunteer.pk})
    assert response.status_code == 302
    assignment = VolunteerAssignment.objects.get()
    assert (assignment.talent, assignment.state) == (volunteer, VolunteerAssignment.State.APPLIED)
    page = client.get(reverse("talent:my_activities")).content.decode()
    assert need.title in page and reverse("talent:volunteer_answer", args=[assignment.pk]) in page
    client.post(reverse("talent:volunteer_answer", args=[assignment.pk]), {"answer": "withdraw"})
    assignment.refresh_from_db()
    assert assignment.state == VolunteerAssignment.State.WITHDRAWN


def test_a_citizen_cannot_apply_as_someone_else_or_answer_their_invitation(client, need, volunteer, coordinator,
                                                                          citizen):  # fmt: skip
    client.force_login(citizen)
    client.post(reverse("talent:need_apply", args=[need.pk]), {"talent": volunteer.pk})
    assert not VolunteerAssignment.objects.exists()
    assignment = services.volunteer_invite(actor=coordinator, need=need, talent=volunteer)
    assert (
        client.post(reverse("talent:volunteer_answer", args=[assignment.pk]), {"answer": "accept"}).status_code == 404
    )
    assignment.refresh_from_db()
    assert assignment.state == VolunteerAssignment.State.INVITED


def test_an_invited_volunteer_accepts_and_sees_their_totals(client, need, volunteer, coordinator, kominkan):
    assignment = services.volunteer_invite(actor=coordinator, need=need, talent=volunteer)
    client.force_login(volunteer.user)
    client.post(reverse("talent:volunteer_answer", args=[assignment.pk]), {"answer": "accept"})
    assignment.refresh_from_db()
    assert assignment.state == VolunteerAssignment.State.APPLIED
    services.volunteer_confirm(actor=coordinator, assignment=assignment)
    VolunteerNeed.objects.filter(pk=need.pk).update(starts_at=timezone.now() - dt.timedelta(hours=4),
                                                    ends_at=timezone.now() - dt.timedelta(hours=1))  # fmt: skip
    need.refresh_from_db()
    services.activity_log(actor=coordinator, need=need, entries={assignment.pk: (True, Decimal("2.5"))})
    response = client.get(reverse("talent:my_activities"))
    assert response.context["totals"] == {"activities": 1, "hours": Decimal("2.5")}
    assert "taken part in 1 activity, 2.5 hours" in response.content.decode()


def test_the_citizen_pages_need_a_login(client, koganei):
    for name, args in [("my_profile", []), ("my_requests", []), ("my_invitations", []), ("my_activities", []),
                       ("register", [koganei.code])]:  # fmt: skip
        response = client.get(reverse(f"talent:{name}", args=args))
        assert response.status_code == 302 and "login" in response["Location"], name


def test_an_organizations_member_sees_its_staff_registration(client, koganei, kominkan, provider_member):
    other = make_user("colleague@kominkan.example.jp")
    core_services.membership_add(actor=None, user=other, organization=kominkan)
    profile = make_profile(koganei, user=provider_member, organization=kominkan, name="公民館 講師")
    client.force_login(other)
    page = client.get(reverse("talent:my_profile")).content.decode()
    assert "公民館 講師" in page and reverse("talent:profile_edit", args=[profile.pk]) in page


def test_my_pages_read_in_a_few_queries_however_many_rows(
    client, koganei, coordinator, topic, group_leader, lecturer, django_assert_max_num_queries
):
    for _n in range(4):
        invitation = services.lecturer_invite(
            actor=coordinator, request=request_lecture(topic, group_leader), talent=lecturer
        )
        services.invitation_answer(actor=lecturer.user, invitation=invitation, accept=False)
    client.force_login(group_leader)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("talent:my_requests")).status_code == 200
    client.force_login(lecturer.user)
    for name in ("my_invitations", "my_profile", "my_activities"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(f"talent:{name}")).status_code == 200
