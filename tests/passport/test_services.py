"""Stamps from each source, one per session, credits by the programme's rule, levels and awards."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.passport import issuing, selectors, services
from manabiya.passport.models import Award, LearningReport, Stamp, StampSource
from manabiya.registration import services as registration_services

from ..conftest import make_user
from ..registration.conftest import apply, new_citizen
from .conftest import attend

pytestmark = pytest.mark.django_db


def credits_of(passport):
    return services.passport_totals(passport)[0]


def test_check_in_at_a_taking_part_course_stamps_the_passport(learner, taking_part, provider_member):
    course = taking_part()
    attendance, session = attend(learner, course, provider_member)
    (stamp,) = learner.stamps.all()
    assert (stamp.source, stamp.session, stamp.attendance, stamp.credits) == (
        StampSource.ATTENDANCE, session, attendance, Decimal(1)
    )  # fmt: skip
    assert (stamp.title, stamp.provider_name, stamp.category.slug) == (course.title, "小金井市公民館本館", "ict")


def test_check_in_at_a_course_not_taking_part_stamps_nothing(learner, make_course, provider_member):
    course = make_course(title="参加していない講座")
    attend(learner, course, provider_member)
    assert not learner.stamps.exists()


def test_a_proposed_but_unapproved_course_stamps_nothing(learner, make_course, programme, provider_member):
    course = make_course()
    services.participation_propose(actor=provider_member, programme=programme, opportunity=course)
    attend(learner, course, provider_member)
    assert not learner.stamps.exists()


def test_scanning_the_card_after_check_in_adds_no_second_stamp(learner, taking_part, provider_member):
    course = taking_part()
    _attendance, session = attend(learner, course, provider_member)
    stamp, created = services.stamp_scan(actor=provider_member, session=session, text=services.card_payload(learner))
    assert not created and learner.stamps.count() == 1 and stamp.source == StampSource.ATTENDANCE


def test_a_scanned_card_stamps_at_an_event_without_applications(learner, taking_part, provider_member):
    course = taking_part(method="none", capacity=None)
    session = course.sessions.get()
    stamp, created = services.stamp_scan(actor=provider_member, session=session, text=services.card_payload(learner))
    assert created and stamp.source == StampSource.SCAN and stamp.recorded_by == provider_member
    again, created_again = services.stamp_scan(actor=provider_member, session=session, text=learner.number)
    assert not created_again and again == stamp


def test_a_forged_or_edited_card_is_refused(learner, taking_part, provider_member):
    session = taking_part().sessions.get()
    payload = services.card_payload(learner)
    for forged in (payload[:-2] + ("AA" if not payload.endswith("AA") else "BB"), "MBP:123:fake"):
        with pytest.raises(RuleViolation, match="not a valid passport card"):
            services.stamp_scan(actor=provider_member, session=session, text=forged)
    assert not learner.stamps.exists()


def test_another_providers_staff_cannot_stamp_at_the_course(learner, taking_part, other_member):
    session = taking_part().sessions.get()
    with pytest.raises(PermissionDenied):
        services.stamp_scan(actor=other_member, session=session, text=learner.number)


def test_a_card_of_a_programme_the_course_does_not_take_part_in_is_refused(
    taking_part, make_programme, provider_member
):
    session = taking_part().sessions.get()
    elsewhere = make_programme(name="別のプログラム")
    passport = services.passport_join(user=new_citizen(), programme=elsewhere, name="別 太郎")
    with pytest.raises(RuleViolation, match="No passport"):
        services.stamp_scan(actor=provider_member, session=session, text=passport.number)


def test_the_counter_records_who_and_why(learner, taking_part, coordinator, provider_member):
    session = taking_part().sessions.get()
    with pytest.raises(RuleViolation, match="Say why"):
        services.stamp_counter(actor=provider_member, passport=learner, session=session, reason=" ")
    stamp, created = services.stamp_counter(
        actor=provider_member, passport=learner, session=session, reason="カードを忘れたため窓口で確認"
    )
    assert created and (stamp.source, stamp.recorded_by, stamp.reason) == (
        StampSource.COUNTER, provider_member, "カードを忘れたため窓口で確認"
    )  # fmt: skip
    outside, _ = services.stamp_counter(
        actor=coordinator,
        passport=learner,
        reason="市民大学の修了証を確認",
        title="市民大学 公開講座",
        earned_on=timezone.localdate(),
        credits=Decimal(2),
    )
    assert outside.session is None and credits_of(learner) == Decimal(3)
    with pytest.raises(PermissionDenied):
        services.stamp_counter(
            actor=provider_member, passport=learner, reason="x", title="y", earned_on=timezone.localdate(), credits=1
        )


def test_a_report_becomes_a_stamp_when_a_coordinator_approves_it(learner, coordinator, make_programme):
    report = services.report_submit(
        user=learner.user, passport=learner, title="江戸東京博物館の見学", place="江戸東京博物館",
        learned_on=timezone.localdate(), hours=Decimal("1.5"), note="常設展",
    )  # fmt: skip
    assert report.state == LearningReport.State.PENDING and not learner.stamps.exists()
    with pytest.raises(PermissionDenied):
        services.report_decide(actor=learner.user, report=report, approve=True)
    services.report_decide(actor=coordinator, report=report, approve=True)
    stamp = learner.stamps.get()
    assert (stamp.source, stamp.report_id, stamp.title, stamp.credits) == (
        StampSource.REPORT, report.pk, "江戸東京博物館の見学", Decimal(1)
    )  # fmt: skip
    with pytest.raises(RuleViolation, match="already been decided"):
        services.report_decide(actor=coordinator, report=report, approve=True)


def test_a_refused_report_says_why_and_stamps_nothing(learner, coordinator):
    report = services.report_submit(user=learner.user, passport=learner, title="独学", learned_on=timezone.localdate())
    with pytest.raises(RuleViolation, match="Say why"):
        services.report_decide(actor=coordinator, report=report, approve=False)
    services.report_decide(actor=coordinator, report=report, approve=False, reason="講座の内容が確認できません")
    report.refresh_from_db()
    assert report.state == LearningReport.State.REJECTED and not learner.stamps.exists()


def test_nobody_reports_into_anothers_passport(learner):
    with pytest.raises(PermissionDenied):
        services.report_submit(user=new_citizen(), passport=learner, title="x", learned_on=timezone.localdate())


def test_per_hour_credits_follow_the_session_length(make_programme, make_course, provider_member, coordinator):
    programme = make_programme(rule="per_hour")
    passport = services.passport_join(user=new_citizen(), programme=programme, name="時間 単位")
    course = make_course(sessions=[_spec(hours=Decimal("1.5"))], title="90分の講座")
    participation = services.participation_propose(actor=coordinator, programme=programme, opportunity=course)
    assert participation.state == "approved", "a coordinator's own proposal needs no second approval"
    attend(passport, course, provider_member)
    assert credits_of(passport) == Decimal("1.5")


def test_a_fixed_value_per_opportunity_counts_once_however_many_dates(
    make_programme, make_course, provider_member, coordinator
):
    programme = make_programme(rule="per_opportunity", unit=Decimal(5))
    passport = services.passport_join(user=new_citizen(), programme=programme, name="固定 単位")
    course = make_course(sessions=[_spec(days=7), _spec(days=14)], title="全2回講座")
    services.participation_propose(actor=coordinator, programme=programme, opportunity=course)
    attend(passport, course, provider_member, session_index=0)
    attend(passport, course, provider_member, session_index=1)
    assert passport.stamps.count() == 2 and credits_of(passport) == Decimal(5)


def _spec(*, days=7, hours=Decimal(2)):
    from manabiya.catalog import services as catalog_services

    from ..conftest import future

    start = future(days)
    return catalog_services.SessionSpec(starts_at=start, ends_at=start + dt.timedelta(minutes=int(hours * 60)))


def test_a_level_is_reached_exactly_at_its_threshold(learner, taking_part, provider_member):
    course = taking_part(dates=2)
    attend(learner, course, provider_member, session_index=0)
    assert not learner.awards.exists(), "1 credit of 2 is not yet the level"
    attend(learner, course, provider_member, session_index=1)
    (award,) = learner.awards.all()
    assert (award.level.name, award.credits) == ("初級", Decimal(2))


def test_the_category_condition_holds_a_level_back_until_it_is_met(learner, taking_part, provider_member):
    ict = taking_part(dates=4, category="ict")
    for index in range(4):
        attend(learner, ict, provider_member, session_index=index)
    assert credits_of(learner) == Decimal(4)
    assert [a.level.name for a in learner.awards.all()] == ["初級"], "4 credits in one category is not 中級"
    other = taking_part(category="health", title="健康体操")
    attend(learner, other, provider_member)
    assert sorted(a.level.name for a in learner.awards.all()) == ["中級", "初級"]
    assert selectors.progress(learner).next_level is None


def test_one_stamp_that_crosses_two_thresholds_issues_both(learner, coordinator):
    services.stamp_counter(
        actor=coordinator, passport=learner, reason="県民カレッジの単位を移行",
        title="県民カレッジ", earned_on=timezone.localdate(), credits=Decimal(10),
    )  # fmt: skip
    assert [a.level.name for a in learner.awards.all()] == ["初級"], "中級 also needs 2 categories"


def test_an_award_is_a_signed_credential_the_service_verifies_and_mails(
    learner, taking_part, provider_member, django_capture_on_commit_callbacks
):
    course = taking_part(dates=2)
    attend(learner, course, provider_member, session_index=0)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        attend(learner, course, provider_member, session_index=1)
    award = learner.awards.get()
    verification = issuing.verify(award.signed_credential)
    assert verification.valid, verification.problems
    subject = verification.credential["credentialSubject"]
    assert subject["achievement"]["creditsAvailable"] == 2 and subject["creditsEarned"] == 2
    assert verification.credential["issuer"]["name"] == "小金井市"
    (message,) = mail.outbox
    assert message.to == [learner.user.email] and str(award.credential_id) in message.body


def test_a_revoked_credential_fails_verification_and_is_listed(learner, coordinator):
    services.stamp_counter(
        actor=coordinator,
        passport=learner,
        reason="移行",
        title="移行",
        earned_on=timezone.localdate(),
        credits=Decimal(2),
    )
    award = learner.awards.get()
    with pytest.raises(RuleViolation, match="Say why"):
        services.award_revoke(actor=coordinator, award=award, reason="")
    with pytest.raises(PermissionDenied):
        services.award_revoke(actor=learner.user, award=award, reason="自分で")
    services.award_revoke(actor=coordinator, award=award, reason="記録の誤りのため")
    verification = issuing.verify(award.signed_credential)
    assert not verification.valid and "revoked" in verification.problems
    listed = issuing.revocation_list(award.municipality)["revokedCredentials"]
    assert listed == [{"id": f"urn:uuid:{award.credential_id}", "revocationReason": "記録の誤りのため"}]


def test_a_coordinator_certifies_a_leader_once_while_valid(coordinator, koganei, chitose_coordinator):
    certification = services.certification_create(
        actor=coordinator, municipality=koganei, name="生涯学習市民リーダー",
        training="市民リーダー養成講座", criteria="養成講座（全10回）を修了したこと",
    )  # fmt: skip
    leader = make_user("leader@example.jp")
    award = services.certification_grant(
        actor=coordinator, certification=certification, recipient=leader, name="学び 太郎"
    )
    verification = issuing.verify(award.signed_credential)
    assert verification.valid and verification.credential["credentialSubject"]["achievement"]["achievementType"] == (
        "Certificate"
    )
    with pytest.raises(RuleViolation, match="already holds"):
        services.certification_grant(actor=coordinator, certification=certification, recipient=leader, name="学び 太郎")
    with pytest.raises(PermissionDenied):
        services.certification_grant(
            actor=chitose_coordinator, certification=certification, recipient=leader, name="学び 太郎"
        )


def test_joining_counts_what_was_attended_before(programme, taking_part, provider_member):
    course = taking_part()
    user = new_citizen()
    application = apply(user, course)
    registration_services.attendance_record(
        actor=provider_member, session=course.sessions.get(), application=application
    )
    passport = services.passport_join(user=user, programme=programme, name="後から 参加")
    assert passport.stamps.get().source == StampSource.ATTENDANCE
    assert services.passport_join(user=user, programme=programme, name="二重") == passport


def test_the_figures_count_learners_stamps_and_awards(programme, taking_part, provider_member, coordinator):
    course = taking_part(dates=2)
    sport = taking_part(category="health", title="健康体操")
    people = [services.passport_join(user=new_citizen(), programme=programme, name=f"市民{i}") for i in range(3)]
    for passport in people[:2]:
        attend(passport, course, provider_member, session_index=0)
        attend(passport, course, provider_member, session_index=1)
    attend(people[0], sport, provider_member)
    figures = selectors.programme_figures(programme)
    assert (figures.registrants, figures.active_learners, figures.stamps, figures.awards) == (3, 2, 5, 2)
    assert figures.by_provider == [{"provider_name": "小金井市公民館本館", "stamps": 5, "learners": 2}]
    assert {row["category__name_en"]: row["stamps"] for row in figures.by_category} == {
        "ICT and smartphones": 4,
        "Health": 1,
    }
    assert [(row["level__name"], row["n"]) for row in figures.awards_by_level] == [("初級", 2)]
    assert sum(row["n"] for row in figures.awards_by_month) == 2
    assert Award.objects.count() == 2 and Stamp.objects.count() == 5


def test_a_check_in_undone_at_the_roster_takes_its_stamp_with_it(learner, taking_part, provider_member):
    course = taking_part()
    attendance, session = attend(learner, course, provider_member)
    assert learner.stamps.count() == 1
    registration_services.attendance_remove(actor=provider_member, session=session, application=attendance.application)
    assert not learner.stamps.exists()
