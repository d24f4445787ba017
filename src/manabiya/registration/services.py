"""Writes of the applications: apply, cancel, move up the waiting list, draw, check in.

Everything that gives out a seat or a childcare place locks the opportunity's row first and
counts what its applications hold under that lock (`docs/capacity-and-locking.md`); side effects
(emails) are scheduled with `transaction.on_commit`.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from manabiya.catalog.models import ApplicationMethod, LearningOpportunity, Session, Status
from manabiya.core.audit import log_action
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.models import User
from manabiya.core.selectors import can_manage_organization
from manabiya.core.sql import update_from_pairs

from . import lottery, notifications
from .models import (
    ACTIVE,
    HOLDING,
    Application,
    ApplicationRules,
    ApplicationStatus,
    Attendance,
    Channel,
    CitizenProfile,
    LotteryDraw,
    Participant,
    Residency,
    WalkIn,
)
from .signals import attendance_recorded

CHECKIN_SALT = "manabiya.registration.checkin"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter


@dataclass(frozen=True)
class PersonSpec:
    name: str
    age: int | None = None


@dataclass(frozen=True)
class ApplicantSpec:
    """Who applies. From the citizen's profile online; typed by staff at the counter."""

    name: str
    name_kana: str = ""
    email: str = ""
    phone: str = ""
    residency: str = Residency.NONE
    municipality_id: int | None = None
    # Only staff say this, for someone without an account; an account's history decides otherwise.
    first_time: bool = False


@dataclass(frozen=True)
class ApplicationSpec:
    participants: list[PersonSpec]
    childcare_ages: list[int] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)


def rules_for(opportunity: LearningOpportunity) -> ApplicationRules:
    """The opportunity's rules, the defaults when its provider set none."""
    try:
        return opportunity.application_rules
    except ApplicationRules.DoesNotExist:
        return ApplicationRules(opportunity=opportunity)


def takes_per_session(opportunity: LearningOpportunity, rules: ApplicationRules | None = None) -> bool:
    """Whether each date takes its own applications: only first-come ones can."""
    rules = rules or rules_for(opportunity)
    return rules.per_session and opportunity.application_method == ApplicationMethod.FIRST_COME


def rules_save(*, actor: User, opportunity: LearningOpportunity, form) -> ApplicationRules:
    """Save the provider's application settings (a validated RulesForm) and record who changed them."""
    if not can_manage_organization(user=actor, organization=opportunity.provider):
        raise PermissionDenied(_("You cannot change the applications of %(org)s.") % {"org": opportunity.provider.name})
    if form.cleaned_data.get("per_session") and opportunity.application_method == ApplicationMethod.LOTTERY:
        raise RuleViolation(_("A lottery is drawn for the whole course; per-date applications are first come."),
                            field="per_session")  # fmt: skip
    with transaction.atomic():
        rules = form.save()
        log_action(
            actor=actor,
            action="application_rules.save",
            target=opportunity,
            municipality=opportunity.municipality,
            data={"changed": form.changed_data},
        )
    return rules


def profile_save(*, user: User, **fields) -> None:
    # Saved after every application from what the form held: one UPDATE, as the profile is there
    # nearly always (a SELECT … FOR UPDATE, an UPDATE and their own transaction, through the ORM's
    # update_or_create).
    if not CitizenProfile.objects.filter(user=user).update(**fields, updated_at=timezone.now()):
        CitizenProfile.objects.create(user=user, **fields)


def applicant_from_profile(profile: CitizenProfile) -> ApplicantSpec:
    return ApplicantSpec(
        name=profile.name,
        name_kana=profile.name_kana,
        email=profile.user.email,
        phone=profile.phone,
        residency=profile.residency,
        municipality_id=profile.municipality_id,
    )


# --- applying ---------------------------------------------------------------------------------


def application_create(
    *,
    actor: User,
    opportunity: LearningOpportunity,
    applicant: ApplicantSpec,
    spec: ApplicationSpec,
    for_user: User | None = None,
    on_behalf: bool = False,
    session: Session | None = None,
    request_key: str | None = None,
    language: str = "ja",
    now: dt.datetime | None = None,
) -> Application:
    """Apply for `for_user` (the actor online; at the counter, a citizen or nobody with an account),
    to the whole opportunity or, where it takes applications per date, to `session`.

    Returns the application made by an earlier request with the same `request_key`, so a double
    click or a retry makes one application.
    """
    now = now or timezone.now()
    if on_behalf:
        if not can_manage_organization(user=actor, organization=opportunity.provider):
            raise PermissionDenied(_("Only the provider's staff and the coordinators can apply for someone."))
    else:
        for_user = actor
    # A person's history is theirs, not the course's: read it before taking the course's lock, which
    # every other applicant is queueing for.
    first_time = _is_first_time(for_user) if for_user is not None else applicant.first_time
    try:
        with transaction.atomic():
            return _create_locked(
                actor=actor,
                opportunity_id=opportunity.pk,
                applicant=applicant,
                spec=spec,
                for_user=for_user,
                first_time=first_time,
                on_behalf=on_behalf,
                session_id=session.pk if session else None,
                request_key=request_key,
                language=language,
                now=now,
            )
    except IntegrityError:
        # The unique keys catch a second application of the person (or a retried form) that the
        # lock let through; the row that won tells which.
        if request_key:
            existing = Application.objects.filter(request_key=request_key).first()
            if existing is not None:
                return existing
        if for_user is not None:
            raise RuleViolation(_("You have already applied for this."), code="duplicate") from None
        raise


def _create_locked(
    *, actor, opportunity_id, applicant, spec, for_user, first_time, on_behalf, session_id, request_key, language, now
):
    # of=("self",): lock the course's row only, so that applying to one course of a provider does
    # not queue behind applications to its other courses (PostgreSQL would lock the joined rows too).
    # The rules, whether it was drawn and when it starts come in the same statement: the lock is
    # held until the commit, so every statement under it is one more wait for the whole queue.
    opportunity = (
        LearningOpportunity.objects.select_for_update(of=("self",))
        .select_related("provider", "municipality", "application_rules")
        .annotate(
            drawn=Exists(LotteryDraw.objects.filter(opportunity=OuterRef("pk"))),
            first_session_starts_at=Subquery(
                Session.objects.filter(opportunity=OuterRef("pk")).order_by("starts_at").values("starts_at")[:1]
            ),
        )
        .get(pk=opportunity_id)
    )
    rules = rules_for(opportunity)
    session = None
    first_starts_at = opportunity.first_session_starts_at
    if takes_per_session(opportunity, rules):
        session = opportunity.sessions.filter(pk=session_id).first() if session_id else None
        if session is None:
            raise RuleViolation(_("Choose the date you want to come."), field="session")
        first_starts_at = session.starts_at
    drawn = opportunity.drawn
    _check_open(opportunity=opportunity, rules=rules, drawn=drawn, first_starts_at=first_starts_at, now=now)
    _check_applicant(opportunity=opportunity, rules=rules, applicant=applicant, spec=spec)
    # A second application of the person, or the same form sent twice, is not looked for here: the
    # unique constraints refuse its INSERT, and application_create answers for it.

    application = Application(
        opportunity=opportunity,
        session=session,
        user=for_user,
        name=applicant.name.strip(),
        name_kana=applicant.name_kana.strip(),
        email=applicant.email.strip(),
        phone=applicant.phone.strip(),
        language=language,
        party_size=len(spec.participants),
        childcare_ages=list(spec.childcare_ages),
        childcare_count=len(spec.childcare_ages),
        answers=dict(spec.answers),
        first_time=first_time,
        channel=Channel.COUNTER if on_behalf else Channel.WEB,
        entered_by=actor if on_behalf else None,
        request_key=request_key or None,
        checkin_code=_new_checkin_code(),
    )
    if opportunity.application_method == ApplicationMethod.LOTTERY and not drawn:
        application.status = ApplicationStatus.ENTERED
    elif _fits(opportunity, session, seats=application.party_size, childcare=application.childcare_count):
        application.status = ApplicationStatus.CONFIRMED
    else:
        application.status = ApplicationStatus.WAITING
        application.waiting_rank = _next_waiting_rank(opportunity)
    application.save()
    Participant.objects.bulk_create(
        Participant(application=application, position=i, name=p.name.strip(), age=p.age)
        for i, p in enumerate(spec.participants)
    )
    log_action(
        actor=actor,
        action="application.create",
        target=application,
        municipality=opportunity.municipality,
        data={"status": application.status, "channel": application.channel},
    )
    notifications.notify(application, notifications.KIND_FOR_NEW[application.status])
    return application


def _check_open(*, opportunity, rules, drawn, first_starts_at, now) -> None:
    if opportunity.status != Status.PUBLISHED:
        raise RuleViolation(_("This opportunity is not taking applications."))
    if opportunity.application_method == ApplicationMethod.NONE:
        raise RuleViolation(_("No application is needed: just come."))
    if first_starts_at is not None and first_starts_at <= now:
        raise RuleViolation(_("Applications are closed: the course has begun."))
    if opportunity.application_opens_at and now < opportunity.application_opens_at:
        opens = timezone.localtime(opportunity.application_opens_at)
        raise RuleViolation(_("Applications open at %(when)s.") % {"when": opens.strftime("%Y-%m-%d %H:%M")})
    closed = opportunity.application_closes_at is not None and now >= opportunity.application_closes_at
    if opportunity.application_method == ApplicationMethod.LOTTERY:
        if drawn and not rules.first_come_after_draw:
            raise RuleViolation(_("The lottery has been drawn; no more applications are taken."))
        if closed and not drawn:
            raise RuleViolation(_("Applications for the lottery have closed; the draw is coming."))
    elif closed:
        raise RuleViolation(_("Applications have closed."))


def _check_applicant(*, opportunity, rules, applicant: ApplicantSpec, spec: ApplicationSpec) -> None:
    if not applicant.name.strip():
        raise RuleViolation(_("Enter the applicant's name."), field="name")
    if not (applicant.email.strip() or applicant.phone.strip()):
        raise RuleViolation(_("Give an email address or a phone number so the provider can reach you."), field="phone")
    size = len(spec.participants)
    if size < 1:
        raise RuleViolation(_("Name at least one participant."), field="participants")
    if size > rules.max_party_size:
        raise RuleViolation(
            _("At most %(n)d people can come on one application.") % {"n": rules.max_party_size}, field="participants"
        )
    if any(not p.name.strip() for p in spec.participants):
        raise RuleViolation(_("Enter every participant's name."), field="participants")
    if rules.residents_only and not (
        applicant.residency != Residency.NONE and applicant.municipality_id == opportunity.municipality_id
    ):
        raise RuleViolation(
            _("This course is for people who live, work or study in %(city)s.")
            % {"city": opportunity.municipality.name},
            field="residency",
        )
    _check_ages(opportunity=opportunity, rules=rules, spec=spec)
    if spec.childcare_ages:
        if not opportunity.childcare_offered:
            raise RuleViolation(_("This course offers no childcare."), field="childcare_ages")
        if any(age is None or age < 0 or age > 12 for age in spec.childcare_ages):
            raise RuleViolation(_("Give each child's age in years (0 to 12)."), field="childcare_ages")
    for question in rules.questions:
        if not str(spec.answers.get(question, "")).strip():
            raise RuleViolation(_("Answer: %(question)s") % {"question": question}, field="answers")


def _check_ages(*, opportunity, rules, spec: ApplicationSpec) -> None:
    """An age range is the course's audience: alone, the applicant must be in it; in a party (親子),
    at least one participant must be, the child the course is for."""
    limited = opportunity.age_min is not None or opportunity.age_max is not None
    if not (limited or rules.asks_participant_ages):
        return
    ages = [p.age for p in spec.participants]
    if any(age is None for age in ages):
        raise RuleViolation(_("Give every participant's age."), field="participants")
    if not limited:
        return
    low = opportunity.age_min if opportunity.age_min is not None else 0
    high = opportunity.age_max if opportunity.age_max is not None else 200
    if not any(low <= age <= high for age in ages):
        raise RuleViolation(
            _("This course is for ages %(low)s to %(high)s.")
            % {
                "low": opportunity.age_min if opportunity.age_min is not None else "",
                "high": opportunity.age_max if opportunity.age_max is not None else "",
            },
            field="participants",
        )


def _is_first_time(user: User) -> bool:
    return not Application.objects.filter(user=user, status=ApplicationStatus.CONFIRMED).exists()


def _new_checkin_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def held(opportunity: LearningOpportunity, session: Session | None = None) -> tuple[int, int]:
    """Seats and childcare places the opportunity's applications hold (those for `session`, where it
    takes applications per date). Call under the opportunity's row lock to decide on them."""
    totals = Application.objects.filter(opportunity=opportunity, session=session, status__in=HOLDING).aggregate(
        seats=Sum("party_size"), childcare=Sum("childcare_count")
    )
    return totals["seats"] or 0, totals["childcare"] or 0


def _fits(opportunity: LearningOpportunity, session: Session | None, *, seats: int, childcare: int) -> bool:
    seats_held, childcare_held = held(opportunity, session)
    if opportunity.capacity is not None and seats_held + seats > opportunity.capacity:
        return False
    capacity = opportunity.childcare_capacity
    return not (childcare and capacity is not None and childcare_held + childcare > capacity)


def _next_waiting_rank(opportunity: LearningOpportunity) -> int:
    top = Application.objects.filter(opportunity=opportunity).aggregate(top=Max("waiting_rank"))["top"]
    return (top or 0) + 1


# --- cancelling and moving up -----------------------------------------------------------------


def cancellation_deadline(application: Application) -> dt.datetime | None:
    first = application.session or application.opportunity.sessions.order_by("starts_at").first()
    if first is None:
        return None
    return first.starts_at - dt.timedelta(hours=rules_for(application.opportunity).cancel_until_hours)


def application_cancel(*, actor: User, application: Application, reason: str = "", now=None) -> Application:
    """The citizen cancels before the deadline; the provider's staff cancel at any time. The freed
    seats go to the waiting list."""
    now = now or timezone.now()
    is_staff = can_manage_organization(user=actor, organization=application.opportunity.provider)
    if not is_staff and (application.user_id is None or application.user_id != actor.pk):
        raise PermissionDenied(_("This is not your application."))
    if not is_staff:
        deadline = cancellation_deadline(application)
        if deadline is not None and now >= deadline:
            raise RuleViolation(
                _("Online cancellation closed at %(when)s; please call the provider.")
                % {"when": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
            )
    with transaction.atomic():
        opportunity = LearningOpportunity.objects.select_for_update().get(pk=application.opportunity_id)
        locked = Application.objects.get(pk=application.pk)
        if not locked.is_active:
            raise RuleViolation(_("This application is no longer active."))
        freed = locked.status in HOLDING
        _close(locked, ApplicationStatus.CANCELLED)
        log_action(
            actor=actor,
            action="application.cancel",
            target=locked,
            municipality=opportunity.municipality,
            reason=reason,
            data={"by_staff": is_staff},
        )
        notifications.notify(locked, "cancelled")
        if freed:
            waiting_promote(opportunity=opportunity, session=locked.session)
    return locked


def _close(application: Application, status: str) -> None:
    application.status = status
    application.waiting_rank = None
    application.offer_expires_at = None
    application.save(update_fields=["status", "waiting_rank", "offer_expires_at", "updated_at"])


def waiting_promote(*, opportunity: LearningOpportunity, session: Session | None = None) -> list[Application]:
    """Move up, in order, every waiting application that fits the free seats and childcare places.

    One that does not fit (a party of two, one seat free) keeps its place and the ones after it
    may move up: seats do not stay empty while someone who fits waits. Call inside atomic() with
    the opportunity's row locked.
    """
    seats_held, childcare_held = held(opportunity, session)
    seats_free = None if opportunity.capacity is None else opportunity.capacity - seats_held
    childcare_free = None if opportunity.childcare_capacity is None else opportunity.childcare_capacity - childcare_held
    promoted = []
    # Where the opportunity takes applications per date, each date has its own list.
    waiting = Application.objects.filter(opportunity=opportunity, session=session, status=ApplicationStatus.WAITING)
    for application in waiting.order_by("waiting_rank"):
        if seats_free is not None and seats_free <= 0:
            break
        if seats_free is not None and application.party_size > seats_free:
            continue
        if application.childcare_count and childcare_free is not None and application.childcare_count > childcare_free:
            continue
        _close(application, ApplicationStatus.CONFIRMED)
        log_action(actor=None, action="application.promote", target=application, municipality=opportunity.municipality)
        notifications.notify(application, "moved_up")
        promoted.append(application)
        if seats_free is not None:
            seats_free -= application.party_size
        if childcare_free is not None:
            childcare_free -= application.childcare_count
    return promoted


def opportunity_applications_cancel(*, actor: User | None, opportunity: LearningOpportunity, reason: str) -> int:
    """The provider called the opportunity off: every active application ends and is told why.
    Call inside the cancellation's transaction."""
    active = list(Application.objects.select_for_update().filter(opportunity=opportunity, status__in=ACTIVE))
    for application in active:
        _close(application, ApplicationStatus.CANCELLED)
        log_action(
            actor=actor,
            action="application.cancel",
            target=application,
            municipality=opportunity.municipality,
            reason=reason,
            data={"opportunity_cancelled": True},
        )
    notifications.notify_many([(a, "opportunity_cancelled") for a in active], reason=reason)
    return len(active)


# --- the lottery ------------------------------------------------------------------------------


def lottery_draw(
    *, actor: User | None, opportunity: LearningOpportunity, seed: str | None = None, now=None
) -> LotteryDraw:
    """Draw the lottery once its applications have closed; `actor` None is the scheduled task."""
    now = now or timezone.now()
    if actor is not None and not can_manage_organization(user=actor, organization=opportunity.provider):
        raise PermissionDenied(_("Only the provider's staff and the coordinators can draw the lottery."))
    with transaction.atomic():
        locked = LearningOpportunity.objects.select_for_update().select_related("municipality").get(pk=opportunity.pk)
        lottery_check_drawable(opportunity=locked, now=now)
        rules = rules_for(locked)
        entered = list(Application.objects.filter(opportunity=locked, status=ApplicationStatus.ENTERED).order_by("pk"))
        entries = [lottery.Entry(a.pk, a.party_size, a.childcare_count, a.first_time) for a in entered]
        seed = seed or lottery.new_seed()
        result = lottery.draw(
            entries,
            seed=seed,
            seats=locked.capacity,
            childcare_places=locked.childcare_capacity,
            first_timers_first=rules.first_timers_first,
        )
        _apply_result(locked, rules, {a.pk: a for a in entered}, result, now)
        record = LotteryDraw.objects.create(
            opportunity=locked,
            algorithm=lottery.ALGORITHM,
            seed=seed,
            seats=locked.capacity,
            childcare_places=locked.childcare_capacity,
            first_timers_first=rules.first_timers_first,
            entries=[[e.application_id, e.party_size, e.childcare, e.first_time] for e in entries],
            drawn_order=result.drawn_order,
            winners=result.winners,
            drawn_by=actor,
        )
        log_action(
            actor=actor,
            action="lottery.draw",
            target=locked,
            municipality=locked.municipality,
            data={"entries": len(entries), "winners": len(result.winners), "seed": seed},
        )
    return record


def lottery_check_drawable(*, opportunity: LearningOpportunity, now=None) -> None:
    """Refuse, with the reason, a draw that cannot run now."""
    now = now or timezone.now()
    if opportunity.application_method != ApplicationMethod.LOTTERY:
        raise RuleViolation(_("This opportunity is not allocated by lottery."))
    if LotteryDraw.objects.filter(opportunity=opportunity).exists():
        raise RuleViolation(_("The lottery has already been drawn."))
    if opportunity.application_closes_at is None or now < opportunity.application_closes_at:
        raise RuleViolation(_("The lottery can be drawn once applications have closed."))


def _apply_result(opportunity, rules, by_id: dict[int, Application], result: lottery.Result, now) -> None:
    winners = set(result.winners)
    must_confirm = rules.confirm_within_hours > 0
    expires = now + dt.timedelta(hours=rules.confirm_within_hours) if must_confirm else None
    losers = [pk for pk in result.drawn_order if pk not in winners]
    Application.objects.filter(pk__in=winners).update(
        status=ApplicationStatus.OFFERED if must_confirm else ApplicationStatus.CONFIRMED,
        offer_expires_at=expires,
        updated_at=now,
    )
    if losers:
        # Thousands of rows at once: one statement a chunk rather than bulk_update's CASE per row.
        update_from_pairs(
            Application,
            column="waiting_rank",
            pairs=[(pk, rank) for rank, pk in enumerate(losers, start=1)],
            also={"status": ApplicationStatus.WAITING, "updated_at": now},
        )
    notifications.notify_many([(by_id[pk], "won" if pk in winners else "lost") for pk in result.drawn_order])


def offer_confirm(*, actor: User, application: Application, now=None) -> Application:
    """A winner takes up the place before the offer expires."""
    now = now or timezone.now()
    if application.user_id != actor.pk and not can_manage_organization(
        user=actor, organization=application.opportunity.provider
    ):
        raise PermissionDenied(_("This is not your application."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.OFFERED:
            raise RuleViolation(_("There is no place waiting for your confirmation."))
        if locked.offer_expires_at is not None and now >= locked.offer_expires_at:
            raise RuleViolation(_("The time to confirm has passed."))
        _close(locked, ApplicationStatus.CONFIRMED)
        log_action(actor=actor, action="application.confirm", target=locked)
        notifications.notify(locked, "confirmed")
    return locked


def offers_expire(*, now=None) -> int:
    """Offers not confirmed in time lapse; their seats go to the waiting list in drawn order."""
    now = now or timezone.now()
    expired = 0
    due = (
        Application.objects.filter(status=ApplicationStatus.OFFERED, offer_expires_at__lte=now)
        .values_list("opportunity_id", flat=True)
        .distinct()
    )
    for opportunity_id in list(due):
        with transaction.atomic():
            opportunity = LearningOpportunity.objects.select_for_update().get(pk=opportunity_id)
            lapsed = Application.objects.filter(
                opportunity=opportunity, status=ApplicationStatus.OFFERED, offer_expires_at__lte=now
            )
            for application in lapsed:
                _close(application, ApplicationStatus.EXPIRED)
                log_action(actor=None, action="application.expire", target=application)
                notifications.notify(application, "expired")
                expired += 1
            waiting_promote(opportunity=opportunity)
    return expired


def lotteries_due(*, now=None) -> list[int]:
    """Lotteries whose applications have closed and that have not been drawn."""
    now = now or timezone.now()
    return list(
        LearningOpportunity.objects.filter(
            application_method=ApplicationMethod.LOTTERY,
            status=Status.PUBLISHED,
            application_closes_at__lte=now,
            lottery_draw__isnull=True,
        ).values_list("pk", flat=True)
    )


# --- check-in and attendance ------------------------------------------------------------------


def checkin_payload(application: Application) -> str:
    """What the participant's QR code says: the application, signed so no one can make one up."""
    return signing.Signer(salt=CHECKIN_SALT).sign(f"A{application.pk}")


def _application_from_payload(payload: str) -> int:
    try:
        value = signing.Signer(salt=CHECKIN_SALT).unsign(payload.strip())
    except signing.BadSignature:
        raise RuleViolation(_("This code is not a valid Manabiya check-in code."), field="code") from None
    return int(value.removeprefix("A"))


def _require_staff(actor: User, opportunity: LearningOpportunity) -> None:
    if not can_manage_organization(user=actor, organization=opportunity.provider):
        raise PermissionDenied(_("Only the provider's staff can take attendance."))


def attendance_record(
    *,
    actor: User,
    session: Session,
    payload: str = "",
    code: str = "",
    application: Application | None = None,
    method: str = Attendance.Method.ROSTER,
) -> tuple[Attendance, bool]:
    """Mark one application present at a session, by scanned QR payload, typed code or roster tick.
    Returns the attendance and whether it is new: a second scan records nothing more."""
    opportunity = session.opportunity
    _require_staff(actor, opportunity)
    if payload:
        application = Application.objects.filter(pk=_application_from_payload(payload)).first()
        method = Attendance.Method.QR
    elif code:
        normalised = code.strip().upper().replace(" ", "").replace("-", "")
        application = Application.objects.filter(
            opportunity=opportunity, checkin_code=f"{normalised[:4]}-{normalised[4:]}"
        ).first()
        method = Attendance.Method.CODE
    if application is None or application.opportunity_id != opportunity.pk:
        raise RuleViolation(_("No application for this course has that code."), field="code")
    if application.session_id is not None and application.session_id != session.pk:
        raise RuleViolation(_("%(name)s applied for another date.") % {"name": application.name}, field="code")
    if application.status != ApplicationStatus.CONFIRMED:
        raise RuleViolation(
            _("%(name)s's application is %(status)s, not confirmed.")
            % {"name": application.name, "status": application.get_status_display()},
            field="code",
        )
    with transaction.atomic():
        attendance, created = Attendance.objects.get_or_create(
            application=application,
            session=session,
            defaults={"people": application.party_size, "method": method, "recorded_by": actor},
        )
        if created:
            attendance_recorded.send(sender=Attendance, attendance=attendance)
    return attendance, created


def attendance_remove(*, actor: User, session: Session, application: Application) -> None:
    _require_staff(actor, session.opportunity)
    Attendance.objects.filter(session=session, application=application).delete()


def walk_in_record(*, actor: User, session: Session, people: int = 1, name: str = "") -> WalkIn:
    _require_staff(actor, session.opportunity)
    if people < 1:
        raise RuleViolation(_("Count at least one person."), field="people")
    return WalkIn.objects.create(session=session, people=people, name=name.strip(), recorded_by=actor)


def reminders_send(*, now=None, ahead: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Remind confirmed participants the day before their first session, once."""
    now = now or timezone.now()
    due = (
        Application.objects.filter(status=ApplicationStatus.CONFIRMED, reminded_at__isnull=True)
        .exclude(email="")
        .annotate(starts_at=Coalesce("session__starts_at", "opportunity__first_starts_at"))
        .filter(starts_at__gt=now, starts_at__lte=now + ahead)
    )
    sent = 0
    for application in due:
        with transaction.atomic():
            if Application.objects.filter(pk=application.pk, reminded_at__isnull=True).update(reminded_at=now):
                notifications.notify(application, "reminder")
                sent += 1
    return sent


def participants_message(*, actor: User, opportunity: LearningOpportunity, subject: str, body: str) -> int:
    """Email everyone holding a place; the waiting list is not told about a course it is not in."""
    _require_staff(actor, opportunity)
    recipients = list(
        Application.objects.filter(opportunity=opportunity, status__in=HOLDING)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    log_action(
        actor=actor,
        action="application.message",
        target=opportunity,
        municipality=opportunity.municipality,
        data={"subject": subject, "recipients": len(recipients)},
    )
    from .tasks import send_message_task

    municipality_id = opportunity.municipality_id
    transaction.on_commit(
        lambda: send_message_task.enqueue(
            subject=subject, body=body, recipients=recipients, municipality_id=municipality_id
        )
    )
    return len(recipients)
