"""Writes of the talent bank, delivery lectures and volunteer activity.

Who may do what: a registrant edits their own registration (an organization's members those it
registered); the municipality's coordinators approve registrations, run the delivery-lecture
workflow and confirm volunteers; an organization's members post its volunteer needs and log them.
Emails go out once the change commits (`notifications.queue`).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manabiya.catalog import services as catalog_services
from manabiya.catalog.models import ApplicationMethod, Audience, Category, Format, Status, TimeOfDay, Venue
from manabiya.catalog.services import SessionSpec
from manabiya.core.audit import log_action
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.japan import RENEWAL_WINDOW_DAYS, fiscal_year_end
from manabiya.core.locking import lock_objects
from manabiya.core.models import Municipality, Organization, User
from manabiya.core.selectors import can_manage_organization, is_coordinator_of, is_member_of
from manabiya.registration.models import Residency

from . import notifications
from .models import (
    ContactMessage,
    LectureRequest,
    LecturerInvitation,
    LectureTopic,
    RequestedDate,
    TalentProfile,
    Visibility,
    VolunteerAssignment,
    VolunteerNeed,
)
from .signals import volunteer_activity_logged

# The municipal rules of 出前講座: asked for 20 days ahead at least, for groups of about ten, held
# in the daytime or early evening.
LEAD_DAYS = 20
LECTURE_HOURS = (dt.time(9, 0), dt.time(21, 0))
MAX_REQUESTED_DATES = 3
# A citizen's messages to registrants in a day: the platform relays them, so it must not relay spam.
CONTACTS_PER_DAY = 5


def _require_coordinator(actor: User | None, municipality_id: int) -> None:
    if not is_coordinator_of(user=actor, municipality_id=municipality_id):
        raise PermissionDenied(_("Only the municipality's coordinators can do this."))


def can_edit_profile(*, user, profile: TalentProfile) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if profile.organization_id is not None:
        return is_member_of(user=user, organization_id=profile.organization_id)
    return profile.user_id == user.pk


def _require_owner(actor: User, profile: TalentProfile) -> None:
    if not can_edit_profile(user=actor, profile=profile):
        raise PermissionDenied(_("This is not your registration."))


# --- the talent bank ------------------------------------------------------------------------------


def _clean_profile_fields(fields: dict) -> dict:
    visibility = fields.get("visibility") or {}
    unknown = set(visibility) - set(TalentProfile.ITEMS)
    if unknown or any(value not in Visibility.values for value in visibility.values()):
        raise RuleViolation(_("Choose who sees each item: the public, the coordinators or only you."),
                            field="visibility")  # fmt: skip
    if not (fields.get("is_instructor") or fields.get("is_volunteer")):
        raise RuleViolation(_("Register as an instructor, a volunteer or both."), field="is_instructor")
    if fields.get("residency", Residency.NONE) == Residency.NONE:
        raise RuleViolation(_("The talent bank is for people who live, work or study in the city."),
                            field="residency")  # fmt: skip
    weekdays = fields.get("weekdays") or []
    times = fields.get("times") or []
    if any(d not in range(7) for d in weekdays) or any(t not in TimeOfDay.values for t in times):
        raise RuleViolation(_("Choose days and times from the list."), field="weekdays")
    for key in ("name", "name_kana", "keywords", "qualifications", "biography", "topics", "areas", "contact_phone"):
        if key in fields and isinstance(fields[key], str):
            fields[key] = fields[key].strip()
    if "name" in fields and not fields["name"]:
        raise RuleViolation(_("Enter the name."), field="name")
    return fields


def _set_tags(profile: TalentProfile, categories, audiences) -> None:
    if categories is not None:
        profile.categories.set(categories)
    if audiences is not None:
        profile.audiences.set(audiences)


def profile_register(
    *,
    user: User,
    municipality: Municipality,
    agrees_to_rules: bool,
    organization: Organization | None = None,
    categories: Iterable[Category] = (),
    audiences: Iterable[Audience] = (),
    **fields,
) -> TalentProfile:
    """A registration waiting for the coordinators' approval. The registrant declares it is not for
    political, religious or commercial purposes, the bank's condition in every city."""
    if not agrees_to_rules:
        raise RuleViolation(
            _("The talent bank cannot be used for political, religious or commercial purposes: confirm this."),
            field="agrees_to_rules",
        )
    if organization is not None and not is_member_of(user=user, organization_id=organization.pk):
        raise PermissionDenied(_("Only the organization's members can register its staff."))
    if organization is not None and organization.municipality_id != municipality.pk:
        raise RuleViolation(_("Register the staff in the organization's own city."))
    fields = _clean_profile_fields(fields)
    try:
        with transaction.atomic():
            profile = TalentProfile.objects.create(
                user=user, municipality=municipality, organization=organization, **fields
            )
            _set_tags(profile, categories, audiences)
            log_action(actor=user, action="talent.profile.register", target=profile, municipality=municipality)
    except IntegrityError:
        raise RuleViolation(_("You are already registered in this city's talent bank.")) from None
    return profile


def profile_update(*, actor: User, profile: TalentProfile, categories=None, audiences=None, **fields) -> TalentProfile:
    """The registrant edits their registration; it stays approved (the audit log keeps what changed)."""
    _require_owner(actor, profile)
    fields = _clean_profile_fields(
        {
            "is_instructor": profile.is_instructor,
            "is_volunteer": profile.is_volunteer,
            "residency": profile.residency,
            **fields,
        }
    )
    changed = [key for key, value in fields.items() if getattr(profile, key) != value]
    with transaction.atomic():
        for key, value in fields.items():
            setattr(profile, key, value)
        profile.save()
        _set_tags(profile, categories, audiences)
        log_action(actor=actor, action="talent.profile.update", target=profile, municipality=profile.municipality,
                   data={"fields": sorted(changed)})  # fmt: skip
    return profile


def profile_decide(
    *, actor: User, profile: TalentProfile, approve: bool, reason: str = "", today: dt.date | None = None
) -> TalentProfile:
    """Approve to the end of the fiscal year (a renewal: to the end of the next), or refuse, saying why."""
    _require_coordinator(actor, profile.municipality_id)
    if not approve and not reason.strip():
        raise RuleViolation(_("Say why the registration is not approved."), field="reason")
    today = today or timezone.localdate()
    with transaction.atomic():
        profile = TalentProfile.objects.select_for_update().get(pk=profile.pk)
        renewing = profile.renewal_requested_at is not None and profile.state == TalentProfile.State.APPROVED
        if profile.state != TalentProfile.State.PENDING and not renewing:
            raise RuleViolation(_("This registration is not waiting for a decision."))
        if approve:
            start = profile.valid_until + dt.timedelta(days=1) if renewing and profile.valid_until >= today else today
            profile.state, profile.valid_until = TalentProfile.State.APPROVED, fiscal_year_end(start)
        elif renewing:
            pass  # a refused renewal leaves the registration to run out at its end
        else:
            profile.state, profile.valid_until = TalentProfile.State.REJECTED, None
        profile.renewal_requested_at = None
        profile.decided_by, profile.decision_reason = actor, reason.strip()
        profile.save()
        action = "renewal." if renewing else ""
        log_action(actor=actor, action=f"talent.profile.{action}{'approve' if approve else 'refuse'}", target=profile,
                   municipality=profile.municipality, reason=reason)  # fmt: skip
        notifications.queue("profile_decided", profile.pk)
    return profile


def profile_renew(*, actor: User, profile: TalentProfile) -> TalentProfile:
    """Ask to stay registered for the next fiscal year; the coordinators approve it again."""
    _require_owner(actor, profile)
    with transaction.atomic():
        profile = TalentProfile.objects.select_for_update().get(pk=profile.pk)
        if not profile.renewable:
            raise RuleViolation(
                _("A registration can be renewed once, in the %(days)d days before it ends.")
                % {"days": RENEWAL_WINDOW_DAYS}
            )
        profile.renewal_requested_at = timezone.now()
        profile.save(update_fields=["renewal_requested_at", "updated_at"])
        log_action(actor=actor, action="talent.profile.renew", target=profile, municipality=profile.municipality)
    return profile


def renewals_remind(*, today: dt.date | None = None, within_days: int = 30) -> int:
    """Remind each approved registration ending within `within_days` to renew, once. Returns how many."""
    today = today or timezone.localdate()
    due = TalentProfile.objects.filter(
        state=TalentProfile.State.APPROVED,
        renewal_requested_at__isnull=True,
        valid_until__gte=today,
        valid_until__lte=today + dt.timedelta(days=within_days),
    ).exclude(renewal_reminded_on__gte=today - dt.timedelta(days=within_days))
    ids = list(due.values_list("pk", flat=True))
    with transaction.atomic():
        TalentProfile.objects.filter(pk__in=ids).update(renewal_reminded_on=today)
        for pk in ids:
            notifications.queue("renewal", pk)
    return len(ids)


def contact_send(*, sender: User, profile: TalentProfile, body: str, now: dt.datetime | None = None) -> ContactMessage:
    """Relay a message to a listed registrant. The sender sees no address; the registrant gets the
    sender's, to answer if they wish."""
    now = now or timezone.now()
    if not getattr(sender, "is_authenticated", False):
        raise PermissionDenied(_("Log in to send a message."))
    if not profile.is_listed_on(timezone.localdate(now)):
        raise RuleViolation(_("This person is not in the talent bank now."))
    body = body.strip()
    if len(body) < 10:
        raise RuleViolation(_("Write a few words about what you would like to ask."), field="body")
    with transaction.atomic():
        # Count and write under the sender's row lock, so messages sent at once are counted one by one.
        lock_objects([sender])
        sent_today = ContactMessage.objects.filter(sender=sender, sent_at__gte=now - dt.timedelta(days=1)).count()
        if sent_today >= CONTACTS_PER_DAY:
            raise RuleViolation(_("You have sent %(n)d messages today; try again tomorrow.") % {"n": sent_today})
        message = ContactMessage.objects.create(profile=profile, sender=sender, body=body)
        notifications.queue("contact", message.pk)
    return message


# --- delivery lectures (出前講座) -----------------------------------------------------------------


def topic_save(*, actor: User, topic: LectureTopic | None = None, **fields) -> LectureTopic:
    """Add or change an item of the menu: the offering organization's members or the coordinators."""
    topic = topic or LectureTopic()
    for key, value in fields.items():
        setattr(topic, key, value)
    provider = topic.provider
    if not can_manage_organization(user=actor, organization=provider):
        raise PermissionDenied(_("You cannot change the delivery lectures of %(org)s.") % {"org": provider.name})
    topic.municipality_id = provider.municipality_id
    if topic.talent_id is not None and topic.talent.municipality_id != provider.municipality_id:
        raise RuleViolation(_("Choose a lecturer registered in the same city."), field="talent")
    with transaction.atomic():
        topic.save()
        log_action(actor=actor, action="talent.topic.save", target=topic, municipality=provider.municipality)
    return topic


@dataclass(frozen=True)
class RuleWarning:
    code: str
    values: dict

    @property
    def message(self) -> str:
        """In the reader's language: the text is written when it is read, from the recorded values."""
        return str(WARNING_TEXTS[self.code]) % self.values


WARNING_TEXTS = {
    "lead_time": gettext_lazy("A date is less than %(days)d days away: the rules ask for %(days)d days' notice."),
    "group_size": gettext_lazy("%(expected)d people expected; this lecture is for groups of %(minimum)d or more."),
    "hours": gettext_lazy("A date falls outside the lecture hours (%(start)s–%(end)s)."),
    "duration": gettext_lazy("A date is shorter than the lecture (%(minutes)d minutes)."),
    "inactive": gettext_lazy("The topic is no longer on the menu."),
}


def rule_check(
    *,
    topic: LectureTopic,
    dates: Sequence[tuple[dt.datetime, dt.datetime]],
    expected_attendance: int,
    now: dt.datetime | None = None,
) -> list[RuleWarning]:
    """What the coordinator is warned about: the rules a request breaks. They decide; the group is told."""
    now = now or timezone.now()
    found = []
    if any(start < now + dt.timedelta(days=LEAD_DAYS) for start, _end in dates):
        found.append(RuleWarning("lead_time", {"days": LEAD_DAYS}))
    if expected_attendance < topic.min_group_size:
        found.append(RuleWarning("group_size", {"expected": expected_attendance, "minimum": topic.min_group_size}))
    first, last = LECTURE_HOURS
    if any(
        timezone.localtime(start).time() < first
        or timezone.localtime(end).time() > last
        or timezone.localdate(start) != timezone.localdate(end)
        for start, end in dates
    ):
        found.append(RuleWarning("hours", {"start": first.strftime("%H:%M"), "end": last.strftime("%H:%M")}))
    if any(end - start < dt.timedelta(minutes=topic.duration_minutes) for start, end in dates):
        found.append(RuleWarning("duration", {"minutes": topic.duration_minutes}))
    if not topic.active:
        found.append(RuleWarning("inactive", {}))
    return found


def request_warnings(request: LectureRequest) -> list[RuleWarning]:
    """The warnings recorded when the request came in."""
    return [RuleWarning(w["code"], w["values"]) for w in request.warnings]


def request_submit(
    *,
    user: User,
    topic: LectureTopic,
    dates: Sequence[tuple[dt.datetime, dt.datetime]],
    agrees_to_rules: bool,
    now: dt.datetime | None = None,
    **fields,
) -> LectureRequest:
    """A group asks for a lecture with up to three candidate dates. What the rules advise against
    (too short notice, a small group) is recorded for the coordinator, not refused: they decide."""
    now = now or timezone.now()
    if not topic.active:
        raise RuleViolation(_("This lecture is no longer on the menu."))
    if not agrees_to_rules:
        raise RuleViolation(_("Delivery lectures are not given for political, religious or commercial purposes: "
                              "confirm this."), field="agrees_to_rules")  # fmt: skip
    dates = [(start, end) for start, end in dates if start is not None]
    if not dates:
        raise RuleViolation(_("Give at least one date that suits the group."), field="dates")
    if len(dates) > MAX_REQUESTED_DATES:
        raise RuleViolation(_("Give at most %(n)d dates.") % {"n": MAX_REQUESTED_DATES}, field="dates")
    if any(end <= start for start, end in dates):
        raise RuleViolation(_("Each date must end after it starts."), field="dates")
    if any(start <= now for start, _end in dates):
        raise RuleViolation(_("Choose dates still to come."), field="dates")
    if fields.get("expected_attendance", 0) < 1:
        raise RuleViolation(_("Say how many people are expected."), field="expected_attendance")
    warnings = rule_check(topic=topic, dates=dates, expected_attendance=fields["expected_attendance"], now=now)
    with transaction.atomic():
        request = LectureRequest.objects.create(
            municipality_id=topic.municipality_id,
            topic=topic,
            requested_by=user,
            warnings=[{"code": w.code, "values": w.values} for w in warnings],
            **{key: value.strip() if isinstance(value, str) else value for key, value in fields.items()},
        )
        RequestedDate.objects.bulk_create(
            RequestedDate(request=request, rank=rank, starts_at=start, ends_at=end)
            for rank, (start, end) in enumerate(dates, start=1)
        )
        log_action(actor=user, action="talent.request.submit", target=request, municipality=topic.municipality,
                   data={"warnings": [w.code for w in warnings]})  # fmt: skip
        notifications.queue("request_received", request.pk)
    return request


def _locked_request(request: LectureRequest) -> LectureRequest:
    return LectureRequest.objects.select_for_update().select_related("topic__provider").get(pk=request.pk)


def lecturer_invite(
    *, actor: User, request: LectureRequest, talent: TalentProfile, message: str = ""
) -> LecturerInvitation:
    """Ask one registered lecturer; while they have not answered, nobody else is asked."""
    _require_coordinator(actor, request.municipality_id)
    if not (talent.is_instructor and talent.is_listed_on(timezone.localdate())):
        raise RuleViolation(_("Ask a lecturer whose registration is approved and current."), field="talent")
    if talent.municipality_id != request.municipality_id:
        raise RuleViolation(_("Ask a lecturer registered in the same city."), field="talent")
    with transaction.atomic():
        request = _locked_request(request)
        if request.state != LectureRequest.State.SUBMITTED:
            raise RuleViolation(_("A lecturer can be asked only while the request waits for one."))
        invitation = LecturerInvitation.objects.create(
            request=request, talent=talent, message=message.strip(), asked_by=actor
        )
        request.state = LectureRequest.State.ASKED
        request.save(update_fields=["state", "updated_at"])
        log_action(actor=actor, action="talent.request.ask", target=request, municipality=request.municipality,
                   data={"talent": talent.pk})  # fmt: skip
        notifications.queue("invitation", invitation.pk)
    return invitation


def invitation_answer(
    *, actor: User, invitation: LecturerInvitation, accept: bool, note: str = ""
) -> LecturerInvitation:
    """The lecturer says yes (the request waits for the coordinator's decision) or no (it waits for
    another lecturer)."""
    if not can_edit_profile(user=actor, profile=invitation.talent):
        raise PermissionDenied(_("This request was not sent to you."))
    with transaction.atomic():
        request = _locked_request(invitation.request)
        invitation = LecturerInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != LecturerInvitation.State.ASKED:
            raise RuleViolation(_("This request has already been answered or withdrawn."))
        invitation.state = LecturerInvitation.State.ACCEPTED if accept else LecturerInvitation.State.DECLINED
        invitation.answer_note, invitation.answered_at = note.strip(), timezone.now()
        invitation.save()
        if accept:
            request.state, request.lecturer = LectureRequest.State.ACCEPTED, invitation.talent
        else:
            request.state = LectureRequest.State.SUBMITTED
        request.save(update_fields=["state", "lecturer", "updated_at"])
        log_action(actor=actor, action=f"talent.invitation.{invitation.state}", target=request,
                   municipality=request.municipality, reason=note)  # fmt: skip
    return invitation


def invitation_withdraw(*, actor: User, invitation: LecturerInvitation) -> None:
    """The coordinator stops waiting for an answer, to ask someone else."""
    _require_coordinator(actor, invitation.request.municipality_id)
    with transaction.atomic():
        request = _locked_request(invitation.request)
        updated = LecturerInvitation.objects.filter(pk=invitation.pk, state=LecturerInvitation.State.ASKED).update(
            state=LecturerInvitation.State.WITHDRAWN, answered_at=timezone.now()
        )
        if not updated:
            raise RuleViolation(_("This request has already been answered or withdrawn."))
        request.state = LectureRequest.State.SUBMITTED
        request.save(update_fields=["state", "updated_at"])
        log_action(actor=actor, action="talent.invitation.withdraw", target=request, municipality=request.municipality)


def request_decide(
    *,
    actor: User,
    request: LectureRequest,
    date_rank: int,
    listed_publicly: bool = False,
    venue: Venue | None = None,
    note: str = "",
    warnings_seen: bool = False,
) -> LectureRequest:
    """Decide the lecture (決定): on one of the group's dates, with the lecturer who accepted (or,
    for a topic its provider gives itself, without one). The lecture becomes a session in the
    catalogue, listed publicly or kept to the provider and coordinators, and the decision notice
    goes to the group and the lecturer."""
    _require_coordinator(actor, request.municipality_id)
    with transaction.atomic():
        request = _locked_request(request)
        given_by_provider = request.topic.talent_id is None and request.state == LectureRequest.State.SUBMITTED
        if request.state != LectureRequest.State.ACCEPTED and not given_by_provider:
            raise RuleViolation(_("Decide once a lecturer has accepted."))
        if request.warnings and not warnings_seen:
            raise RuleViolation(_("The request breaks some rules: confirm you have weighed them."),
                                field="warnings_seen")  # fmt: skip
        chosen = request.dates.filter(rank=date_rank).first()
        if chosen is None:
            raise RuleViolation(_("Choose one of the group's dates."), field="date_rank")
        if chosen.starts_at <= timezone.now():
            raise RuleViolation(_("That date has passed."), field="date_rank")
        opportunity = _catalogue_entry(actor=actor, request=request, date=chosen, listed_publicly=listed_publicly,
                                       venue=venue)  # fmt: skip
        request.state = LectureRequest.State.DECIDED
        request.starts_at, request.ends_at = chosen.starts_at, chosen.ends_at
        request.listed_publicly, request.opportunity = listed_publicly, opportunity
        request.session = opportunity.sessions.first()
        request.decided_at, request.decided_by, request.decision_note = timezone.now(), actor, note.strip()
        request.save()
        log_action(actor=actor, action="talent.request.decide", target=request, municipality=request.municipality,
                   data={"date": chosen.rank, "public": listed_publicly, "opportunity": opportunity.pk})  # fmt: skip
        notifications.queue("decided", request.pk)
    return request


def _catalogue_entry(*, actor, request: LectureRequest, date: RequestedDate, listed_publicly: bool, venue):
    topic = request.topic
    opportunity = catalog_services.opportunity_create(
        actor=actor,
        provider=topic.provider,
        title=topic.title,
        summary=_site_language_summary(request.group_name),
        description=topic.description,
        category=topic.category,
        venue=venue,
        format=Format.IN_PERSON,
        application_method=ApplicationMethod.NONE,
        contact_name=topic.provider.name,
        sessions=[SessionSpec(starts_at=date.starts_at, ends_at=date.ends_at, note=request.place)],
    )
    if listed_publicly:
        opportunity = catalog_services.opportunity_submit(actor=actor, opportunity=opportunity)
        if opportunity.status != Status.PUBLISHED:  # a trusted provider's publishes on submit
            opportunity = catalog_services.opportunity_approve(actor=actor, opportunity=opportunity)
    return opportunity


def _site_language_summary(group_name: str) -> str:
    """The catalogue is read in the site's language, whatever the deciding coordinator's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Delivery lecture for %(group)s") % {"group": group_name}


def request_refuse(*, actor: User, request: LectureRequest, reason: str) -> LectureRequest:
    """The city cannot give it (no lecturer, against the rules): the group is told why."""
    _require_coordinator(actor, request.municipality_id)
    if not reason.strip():
        raise RuleViolation(_("Say why, for the group."), field="reason")
    with transaction.atomic():
        request = _locked_request(request)
        if request.state not in LectureRequest.OPEN_STATES:
            raise RuleViolation(_("Only a request still being arranged can be refused."))
        request.invitations.filter(state=LecturerInvitation.State.ASKED).update(
            state=LecturerInvitation.State.WITHDRAWN, answered_at=timezone.now()
        )
        request.state, request.decision_note = LectureRequest.State.REFUSED, reason.strip()
        request.decided_at, request.decided_by = timezone.now(), actor
        request.save()
        log_action(actor=actor, action="talent.request.refuse", target=request, municipality=request.municipality,
                   reason=reason)  # fmt: skip
        notifications.queue("refused", request.pk)
    return request


def request_cancel(*, actor: User, request: LectureRequest, reason: str = "") -> LectureRequest:
    """The group (or a coordinator for it) calls the lecture off; a decided one leaves the catalogue."""
    if request.requested_by_id != actor.pk:
        _require_coordinator(actor, request.municipality_id)
    with transaction.atomic():
        request = _locked_request(request)
        if request.state not in (*LectureRequest.OPEN_STATES, LectureRequest.State.DECIDED):
            raise RuleViolation(_("This request can no longer be cancelled."))
        was_decided = request.state == LectureRequest.State.DECIDED
        request.invitations.filter(state=LecturerInvitation.State.ASKED).update(
            state=LecturerInvitation.State.WITHDRAWN, answered_at=timezone.now()
        )
        request.state = LectureRequest.State.CANCELLED
        request.save(update_fields=["state", "updated_at"])
        if was_decided and request.opportunity is not None:
            _catalogue_cancel(actor=actor, request=request, reason=reason or _("Cancelled by the group."))
        log_action(actor=actor, action="talent.request.cancel", target=request, municipality=request.municipality,
                   reason=reason)  # fmt: skip
        if was_decided:
            notifications.queue("cancelled", request.pk)
    return request


def _catalogue_cancel(*, actor, request: LectureRequest, reason: str) -> None:
    """A public entry stays listed, marked cancelled, for whoever planned to come; a private one was
    never shown and stays a draft of the provider's."""
    opportunity = request.opportunity
    if not opportunity.is_public:
        return
    # The group is no member of the provider: the entry is the city's, and the coordinator who
    # decided it answers for the change.
    acting = actor if can_manage_organization(user=actor, organization=opportunity.provider) else request.decided_by
    catalog_services.opportunity_cancel(actor=acting, opportunity=opportunity, reason=reason)


def can_report(*, user, request: LectureRequest) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        request.requested_by_id == user.pk
        or (request.lecturer is not None and can_edit_profile(user=user, profile=request.lecturer))
        or is_coordinator_of(user=user, municipality_id=request.municipality_id)
    )


def lecture_report(
    *, actor: User, request: LectureRequest, attendance: int, rating: int | None = None, note: str = "",
    now: dt.datetime | None = None,
) -> LectureRequest:  # fmt: skip
    """After the lecture, the lecturer, the group or a coordinator reports how many came; the group
    may rate it (the rating is what matching reads as the lecturer's record)."""
    now = now or timezone.now()
    if not can_report(user=actor, request=request):
        raise PermissionDenied(_("Only the group, the lecturer or a coordinator can report this lecture."))
    if rating is not None and actor.pk != request.requested_by_id:
        raise RuleViolation(_("Only the group that asked for the lecture rates it."), field="rating")
    if rating is not None and not 1 <= rating <= 5:
        raise RuleViolation(_("Rate from 1 to 5."), field="rating")
    if attendance < 1:
        raise RuleViolation(_("Count at least one participant."), field="attendance")
    with transaction.atomic():
        request = _locked_request(request)
        if request.state not in (LectureRequest.State.DECIDED, LectureRequest.State.DELIVERED):
            raise RuleViolation(_("Only a decided lecture can be reported."))
        if request.starts_at > now:
            raise RuleViolation(_("Report the lecture once it has been held."))
        request.state, request.attendance = LectureRequest.State.DELIVERED, attendance
        if rating is not None:
            request.rating = rating
        if note.strip():
            request.report_note = note.strip()
        request.reported_at = now
        request.save()
        log_action(actor=actor, action="talent.request.report", target=request, municipality=request.municipality,
                   data={"attendance": attendance, "rating": rating})  # fmt: skip
    return request


# --- volunteers -----------------------------------------------------------------------------------


def need_post(
    *, actor: User, organization: Organization, categories: Iterable[Category] = (), **fields
) -> VolunteerNeed:
    """A school or a provider asks for volunteers."""
    if not can_manage_organization(user=actor, organization=organization):
        raise PermissionDenied(_("You cannot post for %(org)s.") % {"org": organization.name})
    if fields["ends_at"] <= fields["starts_at"]:
        raise RuleViolation(_("The activity must end after it starts."), field="ends_at")
    if fields["starts_at"] <= timezone.now():
        raise RuleViolation(_("Choose a time still to come."), field="starts_at")
    if fields.get("people_needed", 0) < 1:
        raise RuleViolation(_("Ask for at least one person."), field="people_needed")
    with transaction.atomic():
        need = VolunteerNeed.objects.create(
            municipality_id=organization.municipality_id, organization=organization, created_by=actor, **fields
        )
        need.categories.set(categories)
        log_action(actor=actor, action="talent.need.post", target=need, municipality=organization.municipality)
    return need


def _require_need_staff(actor: User, need: VolunteerNeed) -> None:
    if not can_manage_organization(user=actor, organization=need.organization):
        raise PermissionDenied(_("Only %(org)s and the coordinators can do this.") % {"org": need.organization.name})


def need_close(*, actor: User, need: VolunteerNeed, cancel: bool = False) -> VolunteerNeed:
    """Stop looking for volunteers; cancelled, the activity is off and everyone on it is told."""
    _require_need_staff(actor, need)
    with transaction.atomic():
        need.state = VolunteerNeed.State.CANCELLED if cancel else VolunteerNeed.State.CLOSED
        need.save(update_fields=["state", "updated_at"])
        log_action(actor=actor, action=f"talent.need.{need.state}", target=need, municipality=need.municipality)
        if cancel:
            on_it = need.assignments.filter(
                state__in=[VolunteerAssignment.State.APPLIED, VolunteerAssignment.State.INVITED,
                           VolunteerAssignment.State.CONFIRMED]
            )  # fmt: skip
            for pk in on_it.values_list("pk", flat=True):
                notifications.queue("need_cancelled", pk)
    return need


def _check_volunteer(talent: TalentProfile, need: VolunteerNeed) -> None:
    if not (talent.is_volunteer and talent.is_listed_on(timezone.localdate())):
        raise RuleViolation(_("Only an approved, current volunteer registration can take part."))
    if talent.municipality_id != need.municipality_id:
        raise RuleViolation(_("This activity is in another city's talent bank."))
    if need.state != VolunteerNeed.State.OPEN or need.starts_at <= timezone.now():
        raise RuleViolation(_("This activity is no longer looking for volunteers."))


def volunteer_apply(*, actor: User, need: VolunteerNeed, talent: TalentProfile) -> VolunteerAssignment:
    _require_owner(actor, talent)
    return _assignment_add(actor=actor, need=need, talent=talent, origin=VolunteerAssignment.Origin.APPLIED,
                           already=_("You have already offered to help with this."))  # fmt: skip


def volunteer_invite(*, actor: User, need: VolunteerNeed, talent: TalentProfile) -> VolunteerAssignment:
    """The coordinator (or the asking organization) invites a registered volunteer."""
    _require_need_staff(actor, need)
    assignment = _assignment_add(actor=actor, need=need, talent=talent, origin=VolunteerAssignment.Origin.INVITED,
                                 already=_("This volunteer is already on the activity."))  # fmt: skip
    notifications.queue("volunteer_invited", assignment.pk)
    return assignment


def _assignment_add(*, actor, need: VolunteerNeed, talent: TalentProfile, origin: str, already: str):
    """The volunteer on the need, as they applied or were invited (the state starts as the origin)."""
    _check_volunteer(talent, need)
    try:
        with transaction.atomic():
            assignment = VolunteerAssignment.objects.create(need=need, talent=talent, origin=origin, state=origin)
            log_action(actor=actor, action=f"talent.volunteer.{'apply' if origin == 'applied' else 'invite'}",
                       target=need, municipality=need.municipality, data={"talent": talent.pk})  # fmt: skip
    except IntegrityError:
        raise RuleViolation(already) from None
    return assignment


def volunteer_answer(*, actor: User, assignment: VolunteerAssignment, accept: bool) -> VolunteerAssignment:
    """The invited volunteer says yes (and waits for confirmation) or no; an applicant can withdraw."""
    _require_owner(actor, assignment.talent)
    with transaction.atomic():
        assignment = VolunteerAssignment.objects.select_for_update().get(pk=assignment.pk)
        allowed = {VolunteerAssignment.State.INVITED} if accept else {
            VolunteerAssignment.State.INVITED, VolunteerAssignment.State.APPLIED, VolunteerAssignment.State.CONFIRMED
        }  # fmt: skip
        if assignment.state not in allowed or assignment.need.starts_at <= timezone.now():
            raise RuleViolation(_("This can no longer be changed."))
        if accept:
            assignment.state = VolunteerAssignment.State.APPLIED
        elif assignment.state == VolunteerAssignment.State.INVITED:
            assignment.state = VolunteerAssignment.State.DECLINED
        else:
            assignment.state = VolunteerAssignment.State.WITHDRAWN
        assignment.save(update_fields=["state", "updated_at"])
        log_action(actor=actor, action=f"talent.volunteer.{assignment.state}", target=assignment.need,
                   municipality=assignment.need.municipality, data={"talent": assignment.talent_id})  # fmt: skip
    return assignment


def volunteer_confirm(*, actor: User, assignment: VolunteerAssignment) -> VolunteerAssignment:
    """Confirm a volunteer who applied or accepted, while the activity has room: never more confirmed
    than the people it asked for, however many staff confirm at once (the need's row is locked)."""
    need = assignment.need
    _require_need_staff(actor, need)
    with transaction.atomic():
        need = VolunteerNeed.objects.select_for_update().get(pk=need.pk)
        assignment = VolunteerAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.state != VolunteerAssignment.State.APPLIED:
            raise RuleViolation(_("Only a volunteer who applied or accepted can be confirmed."))
        confirmed = need.assignments.filter(state=VolunteerAssignment.State.CONFIRMED).count()
        if confirmed >= need.people_needed:
            raise RuleViolation(_("All %(n)d places are filled.") % {"n": need.people_needed})
        assignment.state = VolunteerAssignment.State.CONFIRMED
        assignment.save(update_fields=["state", "updated_at"])
        log_action(actor=actor, action="talent.volunteer.confirm", target=need, municipality=need.municipality,
                   data={"talent": assignment.talent_id})  # fmt: skip
        notifications.queue("volunteer_confirmed", assignment.pk)
    return assignment


def activity_log(*, actor: User, need: VolunteerNeed, entries: dict[int, tuple[bool, Decimal | None]], now=None) -> int:
    """After the activity: who took part and for how many hours, for each confirmed volunteer
    ({assignment id: (took part, hours)}). Logged again, the figures are replaced, not added."""
    now = now or timezone.now()
    _require_need_staff(actor, need)
    if need.starts_at > now:
        raise RuleViolation(_("Log the activity once it has started."))
    with transaction.atomic():
        assignments = {
            a.pk: a
            for a in VolunteerAssignment.objects.select_for_update().filter(
                need=need, state=VolunteerAssignment.State.CONFIRMED, pk__in=list(entries)
            )
        }
        if set(entries) - set(assignments):
            raise RuleViolation(_("Log only the confirmed volunteers of this activity."))
        for pk, (attended, hours) in entries.items():
            if attended and hours is not None and not Decimal("0") < hours <= Decimal("24"):
                raise RuleViolation(_("Give the hours as a number from 0.5 to 24."), field="hours")
            assignment = assignments[pk]
            assignment.attended = attended
            assignment.hours = hours if attended else None
            assignment.logged_at, assignment.logged_by = now, actor
            assignment.save(update_fields=["attended", "hours", "logged_at", "logged_by", "updated_at"])
            if attended:
                transaction.on_commit(lambda a=assignment: volunteer_activity_logged.send(VolunteerAssignment,
                                                                                          assignment=a))  # fmt: skip
        log_action(actor=actor, action="talent.need.log", target=need, municipality=need.municipality,
                   data={"attended": sum(1 for attended, _h in entries.values() if attended)})  # fmt: skip
    return len(entries)
