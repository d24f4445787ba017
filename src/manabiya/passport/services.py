"""Writes of the learning passport: programmes and who takes part, joining, stamps from each
source, levels reached, and awards issued, granted and revoked as signed credentials.

Every stamp is written by `_stamp_add`, which locks the passport's row first: two scans of the
same card, or a scan racing the check-in, then queue one behind the other, and the second finds
the first's stamp (the unique constraint `stamp_once_per_session` is the backstop). Levels are
checked under the same lock, so one stamp that crosses two thresholds issues both awards once.
"""

import datetime as dt
import secrets
import uuid
from decimal import ROUND_DOWN, Decimal

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from manabiya.catalog.models import LearningOpportunity, Session
from manabiya.core.audit import log_action
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.models import Municipality, User
from manabiya.core.selectors import can_manage_organization, is_coordinator_of

from . import issuing, notifications
from .models import (
    Award,
    Certification,
    CreditRule,
    LearningReport,
    Level,
    Participation,
    Passport,
    Programme,
    Stamp,
    StampSource,
)

CARD_SALT = "manabiya.passport.card"
CARD_PREFIX = "MBP:"


def _require_coordinator(actor: User, municipality_id: int) -> None:
    if not is_coordinator_of(user=actor, municipality_id=municipality_id):
        raise PermissionDenied(_("Only the municipality's coordinators can do this."))


# --- programmes ---------------------------------------------------------------------------------


def programme_create(*, actor: User, municipality: Municipality, levels: list[dict], **fields) -> Programme:
    """A programme with its levels; `levels` are dicts of Level's fields (name, credits, …)."""
    _require_coordinator(actor, municipality.pk)
    if fields["ends_on"] < fields["starts_on"]:
        raise RuleViolation(_("The programme must end on or after the day it starts."), field="ends_on")
    with transaction.atomic():
        programme = Programme.objects.create(municipality=municipality, **fields)
        Level.objects.bulk_create([Level(programme=programme, **level) for level in levels])
        log_action(actor=actor, action="passport.programme.create", target=programme, municipality=municipality)
    return programme


def participation_propose(*, actor: User, programme: Programme, opportunity: LearningOpportunity) -> Participation:
    """The provider opts an opportunity in; a coordinator approves it. A coordinator's own
    proposal is approved at once."""
    if not can_manage_organization(user=actor, organization=opportunity.provider):
        raise PermissionDenied(
            _("You cannot change the opportunities of %(org)s.") % {"org": opportunity.provider.name}
        )
    if not programme.is_open:
        raise RuleViolation(_("This programme takes no more opportunities."))
    coordinator = is_coordinator_of(user=actor, municipality_id=programme.municipality_id)
    participation, created = Participation.objects.get_or_create(programme=programme, opportunity=opportunity)
    if coordinator and participation.state != Participation.State.APPROVED:
        participation.state, participation.decided_by = Participation.State.APPROVED, actor
        participation.save(update_fields=["state", "decided_by", "updated_at"])
    elif not created and participation.state == Participation.State.DECLINED:
        participation.state = Participation.State.PROPOSED
        participation.save(update_fields=["state", "updated_at"])
    log_action(actor=actor, action="passport.participation.propose", target=participation)
    return participation


def participation_decide(
    *, actor: User, participation: Participation, approve: bool, credits: Decimal | None = None
) -> Participation:
    _require_coordinator(actor, participation.programme.municipality_id)
    participation.state = Participation.State.APPROVED if approve else Participation.State.DECLINED
    participation.credits = credits
    participation.decided_by = actor
    participation.save(update_fields=["state", "credits", "decided_by", "updated_at"])
    log_action(
        actor=actor,
        action="passport.participation.approve" if approve else "passport.participation.decline",
        target=participation,
        municipality=participation.programme.municipality,
    )
    return participation


# --- passports ----------------------------------------------------------------------------------


def _new_number(programme: Programme) -> str:
    # Short enough to read out at a counter; random so numbers reveal nothing of who joined when.
    return f"{programme.pk:03d}-{secrets.randbelow(10**8):08d}"


def passport_join(
    *, user: User, programme: Programme, name: str, kana: str = "", language: str = "ja", today=None
) -> Passport:
    """Join the programme: the passport, and the stamps already earned at its opportunities."""
    today = today or timezone.localdate()
    if not programme.is_open or not (programme.starts_on <= today <= programme.ends_on):
        raise RuleViolation(_("This programme is not open for joining."))
    existing = Passport.objects.filter(programme=programme, user=user).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                passport = Passport.objects.create(
                    programme=programme,
                    user=user,
                    number=_new_number(programme),
                    holder_name=name,
                    holder_kana=kana,
                    language=language,
                )
                log_action(actor=user, action="passport.join", target=passport, municipality=programme.municipality)
            break
        except IntegrityError:
            existing = Passport.objects.filter(programme=programme, user=user).first()
            if existing is not None:  # a double submit: the other request made it
                return existing
    else:
        raise RuleViolation(_("Please try again."))
    _stamps_from_past_attendance(passport)
    return passport


def card_payload(passport: Passport) -> str:
    """What the passport card's QR code holds: signed, so a made-up or edited code is refused."""
    return CARD_PREFIX + signing.dumps(passport.pk, salt=CARD_SALT, compress=False)


def passport_from_card(*, text: str, programme_ids: set[int] | None = None) -> Passport:
    """The passport a scanned card (or a typed passport number) names."""
    text = text.strip()
    if text.startswith(CARD_PREFIX):
        try:
            passport_id = signing.loads(text[len(CARD_PREFIX) :], salt=CARD_SALT)
        except signing.BadSignature:
            raise RuleViolation(_("This is not a valid passport card."), field="code") from None
        passports = Passport.objects.filter(pk=passport_id)
    else:
        passports = Passport.objects.filter(number=text)
    if programme_ids is not None:
        passports = passports.filter(programme_id__in=programme_ids)
    passport = passports.select_related("programme").first()
    if passport is None:
        raise RuleViolation(_("No passport in a programme this course takes part in has that number."), field="code")
    return passport


# --- stamps -------------------------------------------------------------------------------------


def participation_credits(*, programme: Programme, opportunity: LearningOpportunity) -> Participation | None:
    return Participation.objects.filter(
        programme=programme, opportunity=opportunity, state=Participation.State.APPROVED
    ).first()


def _credits_for(programme: Programme, participation: Participation, session: Session, passport: Passport) -> Decimal:
    unit = participation.credits if participation.credits is not None else programme.credits_per_unit
    if programme.credit_rule == CreditRule.PER_HOUR:
        if session.ends_at is None:
            return unit
        hours = Decimal((session.ends_at - session.starts_at).total_seconds()) / 3600
        return (hours * unit).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    if programme.credit_rule == CreditRule.PER_OPPORTUNITY:
        already = passport.stamps.filter(opportunity=session.opportunity).exclude(session=session).exists()
        return Decimal(0) if already else unit
    return unit


def _in_period(programme: Programme, day: dt.date) -> bool:
    return programme.starts_on <= day <= programme.ends_on


def _stamp_add(*, passport: Passport, now=None, **fields) -> tuple[Stamp, bool]:
    """Add one stamp and issue the levels it completes. Returns the stamp and whether it is new."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Passport.objects.select_for_update().select_related("programme__municipality").get(pk=passport.pk)
        # What a passport is stamped for once: a session, a volunteer activity.
        once = {key: fields[key] for key in ("session", "volunteer_assignment") if fields.get(key) is not None}
        if once:
            existing = Stamp.objects.filter(passport=locked, **once).first()
            if existing is not None:
                return existing, False
        try:
            with transaction.atomic():
                stamp = Stamp.objects.create(passport=locked, **fields)
        except IntegrityError:
            if not once:
                raise
            return Stamp.objects.get(passport=locked, **once), False
        log_action(
            actor=fields.get("recorded_by"),
            action=f"passport.stamp.{stamp.source}",
            target=stamp,
            municipality=locked.programme.municipality,
            reason=fields.get("reason", ""),
        )
        _levels_issue(locked, now=now)
    return stamp, True


def _session_stamp(passport: Passport, session: Session, *, source: str, **fields) -> tuple[Stamp, bool] | None:
    """The stamp `session` earns in `passport`, or None when its opportunity does not take part."""
    programme = passport.programme
    opportunity = session.opportunity
    participation = participation_credits(programme=programme, opportunity=opportunity)
    if participation is None or not _in_period(programme, timezone.localdate(session.starts_at)):
        return None
    return _stamp_add(
        passport=passport,
        source=source,
        session=session,
        opportunity=opportunity,
        earned_on=timezone.localdate(session.starts_at),
        title=opportunity.title,
        provider=opportunity.provider,
        provider_name=opportunity.provider.name,
        category=opportunity.category,
        credits=_credits_for(programme, participation, session, passport),
        **fields,
    )


def stamps_from_attendance(*, attendance) -> list[Stamp]:
    """Check-in recorded an attendance: a stamp in each passport its citizen holds where the
    course takes part. Runs inside the check-in's transaction (the `attendance_recorded` signal)."""
    user_id = attendance.application.user_id
    if user_id is None:
        return []
    session = Session.objects.select_related("opportunity__provider", "opportunity__category").get(
        pk=attendance.session_id
    )
    stamps = []
    for passport in Passport.objects.filter(user_id=user_id).select_related("programme"):
        added = _session_stamp(
            passport, session, source=StampSource.ATTENDANCE, attendance=attendance, recorded_by=attendance.recorded_by
        )
        if added is not None:
            stamps.append(added[0])
    return stamps


def _stamps_from_past_attendance(passport: Passport) -> None:
    from manabiya.registration.models import Attendance

    attended = Attendance.objects.filter(
        application__user_id=passport.user_id,
        session__opportunity__passport_participations__programme=passport.programme,
        session__opportunity__passport_participations__state=Participation.State.APPROVED,
    ).select_related("session__opportunity__provider", "session__opportunity__category", "application")
    for attendance in attended:
        _session_stamp(
            passport,
            attendance.session,
            source=StampSource.ATTENDANCE,
            attendance=attendance,
            recorded_by=attendance.recorded_by,
        )


def stamp_scan(*, actor: User, session: Session, text: str) -> tuple[Stamp, bool]:
    """A provider scans a citizen's passport card (or types its number) at a session."""
    opportunity = session.opportunity
    if not can_manage_organization(user=actor, organization=opportunity.provider):
        raise PermissionDenied(_("You cannot record stamps for %(org)s.") % {"org": opportunity.provider.name})
    programme_ids = set(
        Participation.objects.filter(opportunity=opportunity, state=Participation.State.APPROVED).values_list(
            "programme_id", flat=True
        )
    )
    if not programme_ids:
        raise RuleViolation(_("This course does not take part in a passport programme."), field="code")
    passport = passport_from_card(text=text, programme_ids=programme_ids)
    added = _session_stamp(passport, session, source=StampSource.SCAN, recorded_by=actor)
    if added is None:
        raise RuleViolation(_("This date is outside the programme's period."), field="code")
    return added


def stamp_counter(
    *,
    actor: User,
    passport: Passport,
    reason: str,
    session: Session | None = None,
    title: str = "",
    earned_on: dt.date | None = None,
    credits: Decimal | None = None,
) -> tuple[Stamp, bool]:
    """Staff at the counter add a stamp for someone without a card or a phone: for a session of a
    taking-part course, or (coordinators only) for learning the platform does not list."""
    if not reason.strip():
        raise RuleViolation(_("Say why the stamp is entered by hand."), field="reason")
    programme = passport.programme
    coordinator = is_coordinator_of(user=actor, municipality_id=programme.municipality_id)
    if session is not None:
        if not coordinator and not can_manage_organization(user=actor, organization=session.opportunity.provider):
            raise PermissionDenied(_("You cannot record stamps for this course."))
        added = _session_stamp(passport, session, source=StampSource.COUNTER, recorded_by=actor, reason=reason)
        if added is None:
            raise RuleViolation(_("This course does not take part in the programme on that date."), field="session")
        return added
    if not coordinator:
        raise PermissionDenied(_("Only the municipality's coordinators can do this."))
    if not title.strip() or earned_on is None or credits is None:
        raise RuleViolation(_("Give what was learned, the date and the credits."), field="title")
    if not _in_period(programme, earned_on):
        raise RuleViolation(_("This date is outside the programme's period."), field="earned_on")
    return _stamp_add(
        passport=passport,
        source=StampSource.COUNTER,
        earned_on=earned_on,
        title=title,
        credits=credits,
        recorded_by=actor,
        reason=reason,
    )


def report_submit(*, user: User, passport: Passport, **fields) -> LearningReport:
    if passport.user_id != user.pk:
        raise PermissionDenied(_("This is not your passport."))
    if not _in_period(passport.programme, fields["learned_on"]):
        raise RuleViolation(_("This date is outside the programme's period."), field="learned_on")
    report = LearningReport.objects.create(passport=passport, **fields)
    log_action(actor=user, action="passport.report.submit", target=report)
    return report


def stamps_from_volunteering(*, assignment) -> list[Stamp]:
    """A volunteer activity logged in the talent bank stamps its volunteer's passports of the city's
    programmes that count volunteering, on the activity's day: per hour logged, or one unit.
    Runs once the log commits (the `volunteer_activity_logged` signal); logged again, no second stamp."""
    profile, need = assignment.talent, assignment.need
    if profile.organization_id is not None:
        return []  # an organization's staff registration: its account is the organization's member's
    day = timezone.localdate(need.starts_at)
    passports = Passport.objects.filter(
        user_id=profile.user_id, programme__municipality_id=need.municipality_id, programme__counts_volunteering=True
    ).select_related("programme")
    category = need.categories.first()
    stamps = []
    for passport in passports:
        programme = passport.programme
        if not _in_period(programme, day):
            continue
        per_hour = programme.credit_rule == CreditRule.PER_HOUR and assignment.hours is not None
        credits = assignment.hours * programme.credits_per_unit if per_hour else programme.credits_per_unit
        stamp, _new = _stamp_add(
            passport=passport,
            source=StampSource.VOLUNTEER,
            volunteer_assignment=assignment,
            earned_on=day,
            title=need.title,
            provider=need.organization,
            provider_name=need.organization.name,
            category=category,
            credits=credits.quantize(Decimal("0.1"), rounding=ROUND_DOWN),
            recorded_by=assignment.logged_by,
        )
        stamps.append(stamp)
    return stamps


def report_decide(*, actor: User, report: LearningReport, approve: bool, reason: str = "") -> LearningReport:
    """A coordinator approves a report (it becomes a stamp, credited per hour or per unit) or not."""
    programme = report.passport.programme
    _require_coordinator(actor, programme.municipality_id)
    with transaction.atomic():
        locked = LearningReport.objects.select_for_update().get(pk=report.pk)
        if locked.state != LearningReport.State.PENDING:
            raise RuleViolation(_("This report has already been decided."))
        if not approve and not reason.strip():
            raise RuleViolation(_("Say why the report is not approved."), field="reason")
        locked.state = LearningReport.State.APPROVED if approve else LearningReport.State.REJECTED
        locked.decided_by, locked.decision_reason = actor, reason
        locked.save(update_fields=["state", "decided_by", "decision_reason", "updated_at"])
        if approve:
            per_hour = programme.credit_rule == CreditRule.PER_HOUR
            credits = locked.hours * programme.credits_per_unit if per_hour else programme.credits_per_unit
            _stamp_add(
                passport=locked.passport,
                source=StampSource.REPORT,
                report=locked,
                earned_on=locked.learned_on,
                title=locked.title,
                provider_name=locked.place,
                category=locked.category,
                credits=credits.quantize(Decimal("0.1"), rounding=ROUND_DOWN),
                recorded_by=actor,
                reason=reason,
            )
        log_action(actor=actor, action=f"passport.report.{locked.state}", target=locked, reason=reason)
    return locked


# --- levels and awards --------------------------------------------------------------------------


def passport_totals(passport: Passport) -> tuple[Decimal, int]:
    """Credits and the number of different categories a passport's stamps hold."""
    totals = passport.stamps.aggregate(
        credits=Sum("credits"), categories=Count("category", distinct=True, filter=Q(category__isnull=False))
    )
    return totals["credits"] or Decimal(0), totals["categories"]


def _levels_issue(passport: Passport, *, now) -> list[Award]:
    """Issue each level the passport now meets and has not been awarded. Call under its lock."""
    credits, categories = passport_totals(passport)
    reached = passport.programme.levels.filter(credits__lte=credits, min_categories__lte=categories).exclude(
        awards__passport=passport
    )
    awards = []
    for level in reached:
        award = Award(
            municipality=passport.programme.municipality,
            recipient_id=passport.user_id,
            recipient_name=passport.holder_name,
            subject_id=passport.subject_id,
            passport=passport,
            level=level,
            credits=credits,
            issued_at=now,
        )
        award.signed_credential = issuing.sign_award(award)
        award.save()
        log_action(actor=None, action="passport.award.issue", target=award, municipality=award.municipality)
        notifications.award_issued(award)
        awards.append(award)
    return awards


def certification_create(*, actor: User, municipality: Municipality, **fields) -> Certification:
    _require_coordinator(actor, municipality.pk)
    certification = Certification.objects.create(municipality=municipality, **fields)
    log_action(actor=actor, action="passport.certification.create", target=certification, municipality=municipality)
    return certification


def certification_grant(*, actor: User, certification: Certification, recipient: User, name: str, now=None) -> Award:
    """A coordinator certifies a person who completed the training, with the same credential."""
    _require_coordinator(actor, certification.municipality_id)
    now = now or timezone.now()
    if not name.strip():
        raise RuleViolation(_("Give the name the certificate shows."), field="name")
    passport = Passport.objects.filter(user=recipient).order_by("created_at").first()
    award = Award(
        municipality=certification.municipality,
        recipient=recipient,
        recipient_name=name,
        # The person's subject id stays the same across their credentials when they hold a passport.
        subject_id=passport.subject_id if passport else uuid.uuid4(),
        certification=certification,
        issued_at=now,
        issued_by=actor,
    )
    award.signed_credential = issuing.sign_award(award)
    try:
        with transaction.atomic():
            award.save()
            log_action(
                actor=actor, action="passport.certification.grant", target=award, municipality=award.municipality
            )
    except IntegrityError:
        raise RuleViolation(_("This person already holds this certification."), field="recipient") from None
    notifications.award_issued(award)
    return award


def award_revoke(*, actor: User, award: Award, reason: str, now=None) -> Award:
    """Revoke with a reason: verification then fails, and the certificate shows it."""
    _require_coordinator(actor, award.municipality_id)
    if not reason.strip():
        raise RuleViolation(_("Say why the credential is revoked."), field="reason")
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if locked.revoked_at is not None:
            raise RuleViolation(_("This credential has already been revoked."))
        locked.revoked_at, locked.revoked_by, locked.revocation_reason = now or timezone.now(), actor, reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
        log_action(actor=actor, action="passport.award.revoke", target=locked, reason=reason)
    return locked
