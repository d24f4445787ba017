"""The delivery-lecture workflow end to end, the rules a coordinator is warned about, registrations
and their renewal, volunteer activity and the coordinators' figures, through the services."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation

from manabiya.catalog import selectors as catalog_selectors
from manabiya.catalog.models import Status
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.japan import fiscal_year_end
from manabiya.core.models import User
from manabiya.talent import selectors, services
from manabiya.talent.models import LectureRequest, LecturerInvitation, TalentProfile, VolunteerAssignment
from manabiya.talent.signals import volunteer_activity_logged

from ..conftest import future
from .conftest import make_profile, request_lecture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(english):
    """Messages are quoted in English."""


def _accepted(topic, leader, coordinator, lecturer, **request_fields):
    request = request_lecture(topic, leader, **request_fields)
    invitation = services.lecturer_invite(actor=coordinator, request=request, talent=lecturer)
    services.invitation_answer(actor=lecturer.user, invitation=invitation, accept=True)
    request.refresh_from_db()
    return request


def _held(request, *, days_ago=1):
    """Move a decided lecture into the past, as if its day had come and gone."""
    start = timezone.now() - dt.timedelta(days=days_ago)
    LectureRequest.objects.filter(pk=request.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    request.refresh_from_db()
    return request


# --- the workflow ---------------------------------------------------------------------------------


def test_request_to_figures_end_to_end(koganei, coordinator, lecturer, topic, group_leader, venue, sending):
    with sending():
        request = request_lecture(topic, group_leader, expected=25)
    assert request.state == LectureRequest.State.SUBMITTED and request.warnings == []
    assert [m.to for m in mail.outbox] == [[group_leader.email]]  # received

    with sending():
        invitation = services.lecturer_invite(actor=coordinator, request=request, talent=lecturer, message="ぜひ")
    request.refresh_from_db()
    assert request.state == LectureRequest.State.ASKED
    assert mail.outbox[-1].to == [lecturer.contact_email] and "ぜひ" in mail.outbox[-1].body
    assert group_leader.email not in mail.outbox[-1].body and "042-111-2222" not in mail.outbox[-1].body

    services.invitation_answer(actor=lecturer.user, invitation=invitation, accept=True, note="伺います")
    request.refresh_from_db()
    assert (request.state, request.lecturer) == (LectureRequest.State.ACCEPTED, lecturer)

    mail.outbox.clear()
    with sending():
        decided = services.request_decide(actor=coordinator, request=request, date_rank=1, listed_publicly=True,
                                          venue=venue, note="会館の鍵は町会長から")  # fmt: skip
    assert decided.state == LectureRequest.State.DECIDED
    assert decided.starts_at == request.dates.get(rank=1).starts_at
    opportunity = decided.opportunity
    assert opportunity.status == Status.PUBLISHED and opportunity.provider == topic.provider
    assert decided.session.starts_at == decided.starts_at and decided.session.note == "本町 町会会館"
    assert catalog_selectors.opportunity_visible_to(user=None, opportunity_id=opportunity.pk) == opportunity
    # The decision notice (決定通知) to the group and to the lecturer, each alone on its message.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([group_leader.email, lecturer.contact_email])
    assert all("Decision" in m.subject and "会館の鍵は町会長から" in m.body for m in mail.outbox)

    with pytest.raises(RuleViolation, match="once it has been held"):
        services.lecture_report(actor=lecturer.user, request=decided, attendance=20)
    held = _held(decided)
    services.lecture_report(actor=lecturer.user, request=held, attendance=23, note="熱心でした")
    services.lecture_report(actor=group_leader, request=held, attendance=23, rating=5)
    held.refresh_from_db()
    assert (held.state, held.attendance, held.rating) == (LectureRequest.State.DELIVERED, 23, 5)

    year = selectors.figures(municipality_id=koganei.pk, fiscal_year=selectors.fiscal_year_of(held.starts_at.date()))
    month = next(m for m in year.months if m.month == timezone.localdate(held.starts_at).replace(day=1))
    assert (month.lectures, month.participants) == (1, 23)
    assert (year.totals.lectures, year.totals.participants, year.instructors) == (1, 23, 1)


def test_a_private_lecture_stays_out_of_the_public_catalogue(coordinator, lecturer, topic, group_leader, settings):
    settings.LANGUAGE_CODE = "ja"  # the site's language; the coordinator reads English (the `english` fixture)
    request = _accepted(topic, group_leader, coordinator, lecturer)
    decided = services.request_decide(actor=coordinator, request=request, date_rank=1, listed_publicly=False)
    # Decided by a coordinator reading English; the catalogue entry is in the site's language.
    assert decided.opportunity.summary == "本町三丁目町会への出前講座"
    assert decided.opportunity.status == Status.DRAFT
    assert catalog_selectors.opportunity_visible_to(user=None, opportunity_id=decided.opportunity_id) is None
    assert catalog_selectors.opportunity_visible_to(user=coordinator, opportunity_id=decided.opportunity_id)


def test_listing_publicly_needs_a_venue(coordinator, lecturer, topic, group_leader):
    request = _accepted(topic, group_leader, coordinator, lecturer)
    with pytest.raises(RuleViolation) as refused:
        services.request_decide(actor=coordinator, request=request, date_rank=1, listed_publicly=True)
    assert refused.value.field == "venue"
    request.refresh_from_db()
    assert request.state == LectureRequest.State.ACCEPTED and request.opportunity is None


def test_the_rules_a_coordinator_is_warned_about(coordinator, lecturer, topic, group_leader):
    start = future(5, hour=20) + dt.timedelta(minutes=30)  # 5 days ahead, 20:30–21:30: late, short, little notice
    request = request_lecture(topic, group_leader, expected=3, dates=[(start, start + dt.timedelta(minutes=60))])
    assert [w.code for w in services.request_warnings(request)] == ["lead_time", "group_size", "hours", "duration"]
    texts = [w.message for w in services.request_warnings(request)]
    assert "20 days" in texts[0] and "3 people expected" in texts[1] and "10 or more" in texts[1]
    assert "09:00–21:00" in texts[2] and "90 minutes" in texts[3]

    invitation = services.lecturer_invite(actor=coordinator, request=request, talent=lecturer)
    services.invitation_answer(actor=lecturer.user, invitation=invitation, accept=True)
    with pytest.raises(RuleViolation) as refused:
        services.request_decide(actor=coordinator, request=request, date_rank=1)
    assert refused.value.field == "warnings_seen"
    decided = services.request_decide(actor=coordinator, request=request, date_rank=1, warnings_seen=True)
    assert decided.state == LectureRequest.State.DECIDED


def test_warnings_are_written_in_the_readers_language(coordinator, topic, group_leader):
    request = request_lecture(topic, group_leader, expected=3)
    (warning,) = services.request_warnings(request)
    assert "3 people expected" in warning.message
    with translation.override("ja"):
        assert warning.message == "参加予定は3人ですが、この講座は10人以上の団体が対象です。"


def test_a_request_is_refused_when_its_shape_is_impossible(topic, group_leader):
    start = future(30)
    with pytest.raises(RuleViolation, match="end after it starts"):
        request_lecture(topic, group_leader, dates=[(start, start - dt.timedelta(hours=1))])
    with pytest.raises(RuleViolation, match="at most 3"):
        request_lecture(topic, group_leader, dates=[(start, start + dt.timedelta(hours=2))] * 4)
    with pytest.raises(RuleViolation, match="still to come"):
        past = timezone.now() - dt.timedelta(days=1)
        request_lecture(topic, group_leader, dates=[(past, past + dt.timedelta(hours=2))])
    with pytest.raises(RuleViolation) as refused:
        services.request_submit(user=group_leader, topic=topic, dates=[(start, start + dt.timedelta(hours=2))],
                                agrees_to_rules=False, group_name="x", group_kind="circle", contact_name="x",
                                contact_email="a@example.jp", contact_phone="1", place="x", expected_attendance=12,
                                purpose="x")  # fmt: skip
    assert refused.value.field == "agrees_to_rules"
    assert not LectureRequest.objects.exists()


def test_a_declined_invitation_lets_the_coordinator_ask_someone_else(koganei, coordinator, lecturer, topic,
                                                                     group_leader):  # fmt: skip
    other = make_profile(koganei, approve_by=coordinator, name="佐藤 次郎")
    request = request_lecture(topic, group_leader)
    first = services.lecturer_invite(actor=coordinator, request=request, talent=lecturer)
    with pytest.raises(RuleViolation, match="waits for one"):
        services.lecturer_invite(actor=coordinator, request=request, talent=other)
    services.invitation_answer(actor=lecturer.user, invitation=first, accept=False, note="その日は不在")
    request.refresh_from_db()
    assert request.state == LectureRequest.State.SUBMITTED and request.lecturer is None
    second = services.lecturer_invite(actor=coordinator, request=request, talent=other)
    with pytest.raises(RuleViolation, match="already been answered"):
        services.invitation_answer(actor=lecturer.user, invitation=first, accept=True)
    services.invitation_withdraw(actor=coordinator, invitation=second)
    assert LecturerInvitation.objects.get(pk=second.pk).state == LecturerInvitation.State.WITHDRAWN
    request.refresh_from_db()
    assert request.state == LectureRequest.State.SUBMITTED


def test_only_the_invited_lecturer_answers_and_only_coordinators_run_the_workflow(
    koganei, coordinator, chitose_coordinator, lecturer, topic, group_leader, provider_member
):
    request = request_lecture(topic, group_leader)
    for outsider in (group_leader, provider_member, chitose_coordinator):
        with pytest.raises(PermissionDenied):
            services.lecturer_invite(actor=outsider, request=request, talent=lecturer)
    invitation = services.lecturer_invite(actor=coordinator, request=request, talent=lecturer)
    with pytest.raises(PermissionDenied):
        services.invitation_answer(actor=group_leader, invitation=invitation, accept=True)
    services.invitation_answer(actor=lecturer.user, invitation=invitation, accept=True)
    with pytest.raises(PermissionDenied):
        services.request_decide(actor=group_leader, request=request, date_rank=1)
    stranger = User.objects.create_user(email="stranger@example.jp", password=None)
    with pytest.raises(PermissionDenied):
        services.request_cancel(actor=stranger, request=request)


def test_an_unapproved_or_expired_lecturer_cannot_be_asked(koganei, coordinator, topic, group_leader):
    pending = make_profile(koganei)
    request = request_lecture(topic, group_leader)
    with pytest.raises(RuleViolation, match="approved and current"):
        services.lecturer_invite(actor=coordinator, request=request, talent=pending)
    expired = make_profile(koganei, approve_by=coordinator)
    TalentProfile.objects.filter(pk=expired.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    expired.refresh_from_db()
    with pytest.raises(RuleViolation, match="approved and current"):
        services.lecturer_invite(actor=coordinator, request=request, talent=expired)


def test_refusal_and_cancellation_tell_the_people_concerned(coordinator, lecturer, topic, group_leader, venue,
                                                            sending):  # fmt: skip
    request = request_lecture(topic, group_leader)
    with sending():
        refused = services.request_refuse(actor=coordinator, request=request, reason="講師の都合がつきません")
    assert refused.state == LectureRequest.State.REFUSED
    assert mail.outbox[-1].to == [group_leader.email] and "講師の都合がつきません" in mail.outbox[-1].body

    request = _accepted(topic, group_leader, coordinator, lecturer)
    decided = services.request_decide(actor=coordinator, request=request, date_rank=1, listed_publicly=True,
                                      venue=venue)  # fmt: skip
    mail.outbox.clear()
    with sending():
        services.request_cancel(actor=group_leader, request=decided, reason="会館が使えなくなりました")
    decided.refresh_from_db()
    assert decided.state == LectureRequest.State.CANCELLED
    assert decided.opportunity.status == Status.CANCELLED  # still listed, marked cancelled, for those who planned
    assert sorted(m.to[0] for m in mail.outbox) == sorted([group_leader.email, lecturer.contact_email])


def test_only_the_group_rates_and_only_people_concerned_report(coordinator, lecturer, topic, group_leader):
    request = _accepted(topic, group_leader, coordinator, lecturer)
    held = _held(services.request_decide(actor=coordinator, request=request, date_rank=1))
    with pytest.raises(RuleViolation, match="Only the group"):
        services.lecture_report(actor=lecturer.user, request=held, attendance=12, rating=4)
    stranger = User.objects.create_user(email="stranger@example.jp", password=None)
    with pytest.raises(PermissionDenied):
        services.lecture_report(actor=stranger, request=held, attendance=12)
    with pytest.raises(RuleViolation, match="at least one"):
        services.lecture_report(actor=group_leader, request=held, attendance=0)
    services.lecture_report(actor=coordinator, request=held, attendance=12)
    assert LectureRequest.objects.get(pk=held.pk).attendance == 12


def test_a_topic_its_provider_gives_is_decided_without_a_lecturer(board, coordinator, group_leader, sending):
    topic = services.topic_save(actor=coordinator, provider=board, title="ごみの分け方・出し方",
                                description="清掃課の職員が伺います。", duration_minutes=60)  # fmt: skip
    request = request_lecture(topic, group_leader)
    with sending():
        decided = services.request_decide(actor=coordinator, request=request, date_rank=1)
    assert decided.state == LectureRequest.State.DECIDED and decided.lecturer is None
    assert "小金井市生涯学習課" in mail.outbox[-1].body  # who gives it


# --- registrations --------------------------------------------------------------------------------


def test_registration_rules_approval_to_the_fiscal_year_end_and_renewal(koganei, coordinator, citizen, sending):
    with pytest.raises(RuleViolation) as refused:
        make_profile(koganei, user=citizen, residency="none")
    assert refused.value.field == "residency"
    with pytest.raises(RuleViolation) as refused:
        make_profile(koganei, user=citizen, is_instructor=False, is_volunteer=False)
    assert refused.value.field == "is_instructor"
    with pytest.raises(RuleViolation) as refused:
        make_profile(koganei, user=citizen, visibility={"biography": "everyone"})
    assert refused.value.field == "visibility"
    profile = make_profile(koganei, user=citizen)
    with pytest.raises(RuleViolation, match="already registered"):
        make_profile(koganei, user=citizen)
    assert profile.state == TalentProfile.State.PENDING
    assert not selectors.directory(municipality_id=koganei.pk)

    today = dt.date(2027, 2, 10)
    with sending():
        approved = services.profile_decide(actor=coordinator, profile=profile, approve=True, today=today)
    assert approved.valid_until == dt.date(2027, 3, 31) == fiscal_year_end(today)
    assert "approved until 2027-03-31" in mail.outbox[-1].body

    TalentProfile.objects.filter(pk=profile.pk).update(valid_until=timezone.localdate() + dt.timedelta(days=20))
    profile.refresh_from_db()
    with sending():
        assert services.renewals_remind() == 1 and services.renewals_remind() == 0  # once
    assert mail.outbox[-1].to == [profile.contact_email] and "renew" in mail.outbox[-1].body
    services.profile_renew(actor=citizen, profile=profile)
    with pytest.raises(RuleViolation, match="renewed once"):
        services.profile_renew(actor=citizen, profile=profile)
    renewed = services.profile_decide(actor=coordinator, profile=profile, approve=True)
    assert renewed.valid_until == fiscal_year_end(profile.valid_until + dt.timedelta(days=1))
    assert renewed.valid_until > profile.valid_until and renewed.renewal_requested_at is None


def test_refusing_needs_a_reason_and_only_the_citys_coordinator_decides(
    koganei, coordinator, chitose_coordinator, sending
):
    profile = make_profile(koganei)
    with pytest.raises(PermissionDenied):
        services.profile_decide(actor=chitose_coordinator, profile=profile, approve=True)
    with pytest.raises(RuleViolation):
        services.profile_decide(actor=coordinator, profile=profile, approve=False)
    with sending():
        refused = services.profile_decide(actor=coordinator, profile=profile, approve=False, reason="市外在住のため")
    assert refused.state == TalentProfile.State.REJECTED and "市外在住のため" in mail.outbox[-1].body


def test_an_organization_registers_its_staff_and_its_members_keep_them(koganei, coordinator, kominkan,
                                                                       provider_member, other_member):  # fmt: skip
    first = make_profile(koganei, user=provider_member, organization=kominkan, name="職員 一")
    second = make_profile(koganei, user=provider_member, organization=kominkan, name="職員 二")
    assert {p.pk for p in selectors.profiles_of(user=provider_member)} == {first.pk, second.pk}
    with pytest.raises(PermissionDenied):
        make_profile(koganei, user=other_member, organization=kominkan)
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=other_member, profile=first, biography="書き換え")


def test_contact_goes_through_the_platform(koganei, coordinator, lecturer, citizen, sending):
    with sending():
        services.contact_send(sender=citizen, profile=lecturer, body="子ども会で講座をお願いできますか。")
    message = mail.outbox[-1]
    assert message.to == [lecturer.contact_email] and message.reply_to == [citizen.email]
    assert "子ども会で講座をお願いできますか。" in message.body
    pending = make_profile(koganei)
    with pytest.raises(RuleViolation, match="not in the talent bank"):
        services.contact_send(sender=citizen, profile=pending, body="こんにちは、よろしくお願いします。")
    for _ in range(services.CONTACTS_PER_DAY - 1):
        services.contact_send(sender=citizen, profile=lecturer, body="もう一度お尋ねします。よろしく。")
    with pytest.raises(RuleViolation, match="try again tomorrow"):
        services.contact_send(sender=citizen, profile=lecturer, body="もう一度お尋ねします。よろしく。")


# --- privacy ---------------------------------------------------------------------------------------

SECRET_QUALIFICATION = "秘密資格ゼータ"
PRIVATE_BIOGRAPHY = "非公開経歴オメガ"


@pytest.fixture
def guarded(koganei, coordinator):
    """A registrant who shows their expertise, keeps qualifications to the coordinators and their
    biography and name to themselves."""
    visibility = dict.fromkeys(TalentProfile.ITEMS, "public")
    visibility.update(qualifications="coordinators", biography="private", name="private")
    return make_profile(koganei, approve_by=coordinator, visibility=visibility, name="伏見 秘子",
                        qualifications=SECRET_QUALIFICATION, biography=PRIVATE_BIOGRAPHY)  # fmt: skip


def test_each_reader_sees_only_the_items_shown_to_them(guarded):
    public = selectors.profile_view(guarded, reader=selectors.PUBLIC)
    assert public.name is None and public.qualifications == "" and public.biography == ""
    assert public.contact_email == "" and public.contact_phone == "" and public.topics == "スマホ入門"
    coordinators = selectors.profile_view(guarded, reader=selectors.COORDINATORS)
    assert coordinators.qualifications == SECRET_QUALIFICATION and coordinators.biography == ""
    assert coordinators.name is None and coordinators.contact_email == guarded.contact_email
    owner = selectors.profile_view(guarded, reader=selectors.OWNER)
    assert owner.biography == PRIVATE_BIOGRAPHY and owner.name == "伏見 秘子"


def test_hidden_items_are_not_searchable_nor_in_the_api(client, koganei, guarded):
    assert [v.id for v in selectors.directory(query="スマホ")] == [guarded.pk]
    for hidden in (SECRET_QUALIFICATION, PRIVATE_BIOGRAPHY, "伏見"):
        assert selectors.directory(query=hidden) == []
        assert client.get("/api/talent/profiles", {"q": hidden}).json() == []
    listing = json.dumps(client.get("/api/talent/profiles").json(), ensure_ascii=False)
    detail = json.dumps(client.get(f"/api/talent/profiles/{guarded.pk}").json(), ensure_ascii=False)
    for text in (listing, detail):
        for hidden in (SECRET_QUALIFICATION, PRIVATE_BIOGRAPHY, "伏見", guarded.contact_email, guarded.contact_phone):
            assert hidden not in text
    assert "スマホ入門" in detail


def test_matching_never_reads_what_the_registrant_kept_to_themselves(koganei, coordinator, topic, group_leader):
    private_expertise = dict.fromkeys(TalentProfile.ITEMS, "public") | {"expertise": "private", "topics": "private"}
    hidden = make_profile(koganei, approve_by=coordinator, visibility=private_expertise, name="非公開の専門家")
    shown = make_profile(koganei, approve_by=coordinator, name="公開の専門家")
    request = request_lecture(topic, group_leader)
    ranked = selectors.candidates_for_request(request=request)
    scores = {r.candidate.profile_id: r for r in ranked}
    assert ranked[0].candidate.profile_id == shown.pk
    assert scores[hidden.pk].candidate.category_ids == frozenset() and scores[hidden.pk].candidate.keywords == ""
    assert scores[shown.pk].score > scores[hidden.pk].score


def test_matching_ranks_by_fit_and_spreads_the_load(koganei, coordinator, topic, group_leader):
    expert = make_profile(koganei, approve_by=coordinator, name="詳しい人")
    busy = make_profile(koganei, approve_by=coordinator, name="忙しい人")
    unrelated = make_profile(koganei, approve_by=coordinator, name="書道の人", categories=("calligraphy",),
                             keywords="書道", topics="筆の持ち方", areas="貫井北町")  # fmt: skip
    for _ in range(3):  # the busy one gave three lectures this year
        other = request_lecture(topic, group_leader)
        invitation = services.lecturer_invite(actor=coordinator, request=other, talent=busy)
        services.invitation_answer(actor=busy.user, invitation=invitation, accept=True)
    request = request_lecture(topic, group_leader)
    ranked = selectors.candidates_for_request(request=request)
    assert [r.candidate.profile_id for r in ranked] == [expert.pk, busy.pk, unrelated.pk]
    busy_reasons = next(r for r in ranked if r.candidate.profile_id == busy.pk).reasons
    assert any(reason.points == -12 for reason in busy_reasons)
    assert all(r.reasons for r in ranked)


# --- volunteers ------------------------------------------------------------------------------------


def _need(organization, actor, *, people=2, days=10):
    start = future(days, hour=9)
    return services.need_post(actor=actor, organization=organization, kind="school", title="読み聞かせボランティア",
                              description="朝の読み聞かせ", place="本町小学校", area="本町", starts_at=start,
                              ends_at=start + dt.timedelta(hours=2), skills="読み聞かせ",
                              people_needed=people)  # fmt: skip


def test_volunteers_apply_or_are_invited_are_confirmed_within_the_places_and_are_logged(
    koganei, coordinator, kominkan, provider_member, other_member, sending
):
    volunteers = [make_profile(koganei, approve_by=coordinator, is_volunteer=True) for _ in range(3)]
    need = _need(kominkan, provider_member, people=2)
    with pytest.raises(PermissionDenied):
        services.volunteer_confirm(
            actor=other_member,
            assignment=services.volunteer_apply(actor=volunteers[0].user, need=need, talent=volunteers[0]),
        )
    first = VolunteerAssignment.objects.get(talent=volunteers[0])
    with pytest.raises(RuleViolation, match="already offered"):
        services.volunteer_apply(actor=volunteers[0].user, need=need, talent=volunteers[0])
    with sending():
        invited = services.volunteer_invite(actor=provider_member, need=need, talent=volunteers[1])
    assert mail.outbox[-1].to == [volunteers[1].contact_email]
    with pytest.raises(RuleViolation, match="applied or accepted"):
        services.volunteer_confirm(actor=provider_member, assignment=invited)
    services.volunteer_answer(actor=volunteers[1].user, assignment=invited, accept=True)
    third = services.volunteer_apply(actor=volunteers[2].user, need=need, talent=volunteers[2])
    services.volunteer_confirm(actor=coordinator, assignment=first)
    services.volunteer_confirm(actor=provider_member, assignment=invited)
    with pytest.raises(RuleViolation, match="All 2 places"):
        services.volunteer_confirm(actor=provider_member, assignment=third)

    with pytest.raises(RuleViolation, match="once it has started"):
        services.activity_log(actor=provider_member, need=need, entries={first.pk: (True, Decimal("2"))})
    logged = []
    volunteer_activity_logged.connect(lambda sender, assignment, **kw: logged.append(assignment.pk), weak=False,
                                      dispatch_uid="test-logged")  # fmt: skip
    try:
        with pytest.raises(RuleViolation, match="only the confirmed"):
            services.activity_log(actor=provider_member, need=need, entries={third.pk: (True, Decimal("2"))},
                                  now=need.starts_at + dt.timedelta(hours=3))  # fmt: skip
        with sending():
            services.activity_log(
                actor=provider_member,
                need=need,
                now=need.starts_at + dt.timedelta(hours=3),
                entries={first.pk: (True, Decimal("2")), invited.pk: (False, None)},
            )
    finally:
        volunteer_activity_logged.disconnect(dispatch_uid="test-logged")
    assert logged == [first.pk]
    history = list(selectors.assignments_of(user=volunteers[0].user))
    assert [(a.attended, a.hours) for a in history] == [(True, Decimal("2.0"))]
    year = selectors.figures(municipality_id=koganei.pk, fiscal_year=selectors.fiscal_year_of(need.starts_at.date()))
    assert (year.totals.activities, year.totals.person_days, year.totals.hours) == (1, 1, 2.0)
    assert year.volunteers == 3
