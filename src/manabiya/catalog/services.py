"""Writes for the catalogue: opportunities, their sessions and the publishing workflow."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manabiya.core.audit import log_action
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.models import Organization, User
from manabiya.core.selectors import can_manage_organization, is_coordinator_of

from . import search_documents, signals
from .models import (
    AccessibilityFeature,
    ApplicationMethod,
    Audience,
    Format,
    LearningOpportunity,
    Session,
    Status,
    Venue,
)

EDITABLE_FIELDS = frozenset(
    {
        "title", "title_kana", "title_en", "summary", "description", "category", "age_min", "age_max",
        "format", "venue", "online_url", "fee", "fee_note", "capacity", "application_method",
        "application_opens_at", "application_closes_at", "application_note", "eligibility_note",
        "childcare_offered", "childcare_capacity", "childcare_ages", "languages", "contact_name",
        "contact_phone", "contact_email", "url", "image", "image_alt",
    }
)  # fmt: skip

# Where each workflow action may start from, and where it leads.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED),
    "approve": (frozenset({Status.SUBMITTED}), Status.PUBLISHED),
    "return": (frozenset({Status.SUBMITTED}), Status.RETURNED),
    "withdraw": (frozenset({Status.SUBMITTED, Status.PUBLISHED}), Status.WITHDRAWN),
    "cancel": (frozenset({Status.PUBLISHED}), Status.CANCELLED),
    "reopen": (frozenset({Status.WITHDRAWN}), Status.DRAFT),
}
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED, Status.PUBLISHED})
STALE_EDIT_MESSAGE = gettext_lazy(
    "Someone else saved this opportunity while you were editing it. Your changes are still in the form: "
    "open the page again in another tab to see theirs, then save what should stay."
)


@dataclass(frozen=True)
class SessionSpec:
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    venue_id: int | None = None
    note: str = ""
    id: int | None = None


def weekly_session_specs(
    *, first_starts_at: dt.datetime, duration: dt.timedelta | None, weeks: int, venue_id: int | None = None
) -> list[SessionSpec]:
    """Sessions for "every <weekday of first_starts_at> for `weeks` weeks", wall-clock time kept."""
    if weeks < 1 or weeks > 104:
        raise RuleViolation(_("Repeat between 1 and 104 weeks."), field="repeat_weeks")
    local = timezone.localtime(first_starts_at)
    specs = []
    for week in range(weeks):
        # Add days to the local date, not to the instant, so the wall-clock hour stays fixed.
        day = local.date() + dt.timedelta(weeks=week)
        start = timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))
        specs.append(
            SessionSpec(starts_at=start, ends_at=start + duration if duration is not None else None, venue_id=venue_id)
        )
    return specs


# --- permission checks ---------------------------------------------------------------------------


def _require_provider_access(actor: User | None, organization: Organization) -> None:
    if actor is None or not can_manage_organization(user=actor, organization=organization):
        raise PermissionDenied(_("You cannot manage opportunities of %(org)s.") % {"org": organization.name})


def _require_coordinator(actor: User | None, opportunity: LearningOpportunity) -> None:
    if actor is None or not is_coordinator_of(user=actor, municipality_id=opportunity.municipality_id):
        raise PermissionDenied(_("Only a coordinator of %(m)s can do this.") % {"m": opportunity.municipality.name})


# --- validation ----------------------------------------------------------------------------------


def _check_fields(opportunity: LearningOpportunity) -> None:
    """Rules that hold for every saved opportunity, draft or not."""
    o = opportunity
    if o.age_min is not None and o.age_max is not None and o.age_min > o.age_max:
        raise RuleViolation(_("The minimum age is above the maximum age."), field="age_max")
    if o.application_opens_at and o.application_closes_at and o.application_opens_at >= o.application_closes_at:
        raise RuleViolation(_("Applications must close after they open."), field="application_closes_at")
    if o.childcare_capacity and not o.childcare_offered:
        raise RuleViolation(_("Childcare capacity needs childcare to be offered."), field="childcare_offered")
    if o.venue_id and o.venue.municipality_id != o.municipality_id:
        raise RuleViolation(_("Choose a venue in %(m)s.") % {"m": o.municipality.name}, field="venue")


def _check_ready_to_publish(opportunity: LearningOpportunity) -> None:
    """Rules an opportunity must meet before the public sees it."""
    o = opportunity
    if not o.title.strip():
        raise RuleViolation(_("Enter a title."), field="title")
    if not o.sessions.exists():
        raise RuleViolation(_("Add at least one date."), field="sessions")
    if o.format in (Format.IN_PERSON, Format.HYBRID) and not (
        o.venue_id or o.sessions.filter(venue__isnull=False).exists()
    ):
        raise RuleViolation(_("Choose a venue for an in-person opportunity."), field="venue")
    if o.format in (Format.ONLINE, Format.HYBRID) and not o.online_url:
        raise RuleViolation(_("Enter the online URL for an online opportunity."), field="online_url")
    if o.application_method == ApplicationMethod.LOTTERY and not o.application_closes_at:
        raise RuleViolation(_("A lottery needs an application deadline."), field="application_closes_at")
    if o.application_method != ApplicationMethod.NONE and not o.capacity:
        raise RuleViolation(_("Set a capacity when applications are taken."), field="capacity")


# --- writes --------------------------------------------------------------------------------------


def _apply_fields(opportunity: LearningOpportunity, fields: dict[str, Any]) -> list[str]:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    changed = []
    for name, value in fields.items():
        if getattr(opportunity, name) != value:
            setattr(opportunity, name, value)
            changed.append(name)
    return changed


def sessions_sync(*, opportunity: LearningOpportunity, sessions: Sequence[SessionSpec]) -> None:
    """Make the opportunity's sessions exactly `sessions`: update those with an id, add the rest,
    delete the ones no longer listed. Call inside atomic()."""
    starts = [s.starts_at for s in sessions]
    if len(set(starts)) != len(starts):
        raise RuleViolation(_("Two dates start at the same time."), field="sessions")
    for spec in sessions:
        if spec.ends_at and spec.ends_at <= spec.starts_at:
            raise RuleViolation(_("A session must end after it starts."), field="sessions")
    venue_ids = {s.venue_id for s in sessions if s.venue_id}
    in_municipality = Venue.objects.filter(pk__in=venue_ids, municipality_id=opportunity.municipality_id)
    if venue_ids and in_municipality.count() != len(venue_ids):
        raise RuleViolation(
            _("Choose venues in %(m)s for every date.") % {"m": opportunity.municipality.name}, field="sessions"
        )
    kept_ids = {s.id for s in sessions if s.id}
    try:
        with transaction.atomic():
            opportunity.sessions.exclude(pk__in=kept_ids).delete()
    except RestrictedError:
        raise RuleViolation(
            _("A date that has applications or recorded attendance cannot be removed."), field="sessions"
        ) from None
    existing = {s.pk: s for s in opportunity.sessions.all()}
    for spec in sessions:
        session = existing.get(spec.id) if spec.id else None
        if session is None:
            session = Session(opportunity=opportunity)
        session.starts_at = spec.starts_at
        session.ends_at = spec.ends_at
        session.venue_id = spec.venue_id
        session.note = spec.note
        session.save()
    refresh_session_window(opportunity=opportunity)


def session_window(
    spans: Iterable[tuple[dt.datetime, dt.datetime | None]],
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(first_starts_at, last_ends_at) of sessions given as (start, end-or-None) pairs.

    last_ends_at is the latest start or end, so a session without an end still counts until it starts.
    """
    spans = list(spans)
    if not spans:
        return None, None
    first = min(start for start, _end in spans)
    last = max([start for start, _end in spans] + [end for _start, end in spans if end])
    return first, last


def refresh_session_window(*, opportunity: LearningOpportunity) -> None:
    opportunity.first_starts_at, opportunity.last_ends_at = session_window(
        opportunity.sessions.values_list("starts_at", "ends_at")
    )
    LearningOpportunity.objects.filter(pk=opportunity.pk).update(
        first_starts_at=opportunity.first_starts_at, last_ends_at=opportunity.last_ends_at
    )


def _set_tags(opportunity: LearningOpportunity, audiences: Iterable[Audience] | None, accessibility) -> None:
    if audiences is not None:
        opportunity.audiences.set(audiences)
    if accessibility is not None:
        wrong = [a for a in accessibility if a.scope != AccessibilityFeature.Scope.OPPORTUNITY]
        if wrong:
            raise RuleViolation(_("%(name)s is not support offered at a course.") % {"name": wrong[0].name})
        opportunity.accessibility.set(accessibility)


def _attach_image(opportunity: LearningOpportunity, image: Any) -> bool:
    """Store a new image (False clears it) after every rule has passed: the storage write cannot be
    rolled back with the transaction, so a refused edit must not leave a public file behind."""
    if image is None or image == opportunity.image:
        return False
    opportunity.image = image or ""
    opportunity.save(update_fields=["image", "updated_at"])
    return True


@transaction.atomic
def opportunity_create(
    *,
    actor: User | None,
    provider: Organization,
    sessions: Sequence[SessionSpec] = (),
    audiences: Iterable[Audience] | None = None,
    accessibility: Iterable[AccessibilityFeature] | None = None,
    **fields: Any,
) -> LearningOpportunity:
    """Create a draft for `provider`. The actor must be a member of it or its coordinator."""
    _require_provider_access(actor, provider)
    opportunity = LearningOpportunity(provider=provider, municipality=provider.municipality, status=Status.DRAFT)
    image = fields.pop("image", None)
    _apply_fields(opportunity, fields)
    _check_fields(opportunity)
    opportunity.status_changed_at = timezone.now()
    opportunity.save()
    _set_tags(opportunity, audiences, accessibility)
    sessions_sync(opportunity=opportunity, sessions=sessions)
    _attach_image(opportunity, image)
    log_action(actor=actor, action="opportunity.create", target=opportunity, municipality=opportunity.municipality,
               data={"status": Status.DRAFT})  # fmt: skip
    return opportunity


@transaction.atomic
def opportunity_update(
    *,
    actor: User | None,
    opportunity: LearningOpportunity,
    sessions: Sequence[SessionSpec] | None = None,
    audiences: Iterable[Audience] | None = None,
    accessibility: Iterable[AccessibilityFeature] | None = None,
    expected_version: dt.datetime | None = None,
    **fields: Any,
) -> LearningOpportunity:
    """Edit a draft, a returned or a published opportunity. A published one stays published:
    the provider answers for its edits, and the audit log keeps what changed.

    `expected_version` is the `updated_at` the editor started from; a save by someone else since
    then is refused rather than silently overwritten (dates included).
    """
    _require_provider_access(actor, opportunity.provider)
    opportunity = LearningOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status not in EDITABLE_STATUSES:
        raise RuleViolation(
            _("An opportunity that is %(status)s cannot be edited.") % {"status": opportunity.get_status_display()}
        )
    if expected_version is not None and opportunity.updated_at != expected_version:
        raise RuleViolation(str(STALE_EDIT_MESSAGE), code="stale")
    image = fields.pop("image", None)
    changed = _apply_fields(opportunity, fields)
    _check_fields(opportunity)
    opportunity.save()
    _set_tags(opportunity, audiences, accessibility)
    if sessions is not None:
        sessions_sync(opportunity=opportunity, sessions=sessions)
        changed.append("sessions")
    if opportunity.status == Status.PUBLISHED:
        _check_ready_to_publish(opportunity)
    if _attach_image(opportunity, image):
        changed.append("image")
    log_action(actor=actor, action="opportunity.update", target=opportunity, municipality=opportunity.municipality,
               data={"fields": sorted(set(changed))})  # fmt: skip
    search_documents.reindex([opportunity.pk])
    return opportunity


def _transition(
    *,
    actor: User | None,
    opportunity: LearningOpportunity,
    action: str,
    reason: str = "",
    to: str | None = None,
    check: Callable[[LearningOpportunity], None] | None = None,
) -> LearningOpportunity:
    """Move the opportunity along the workflow and record it. Call inside atomic().

    `check` runs on the locked row, so an edit committed meanwhile cannot slip past it.
    """
    sources, target = TRANSITIONS[action]
    locked = LearningOpportunity.objects.select_for_update().select_related("municipality").get(pk=opportunity.pk)
    if locked.status not in sources:
        raise RuleViolation(
            _("This cannot be done while the opportunity is %(status)s.") % {"status": locked.get_status_display()}
        )
    if check is not None:
        check(locked)
    previous = locked.status
    locked.status = to or target
    now = timezone.now()
    locked.status_changed_at = now
    if locked.status == Status.PUBLISHED and locked.published_at is None:
        locked.published_at = now
    locked.save(update_fields=["status", "status_changed_at", "published_at", "updated_at"])
    log_action(actor=actor, action=f"opportunity.{action}", target=locked, municipality=locked.municipality,
               reason=reason, data={"from": previous, "to": locked.status})  # fmt: skip
    search_documents.reindex([locked.pk])
    return locked


@transaction.atomic
def opportunity_submit(*, actor: User | None, opportunity: LearningOpportunity) -> LearningOpportunity:
    """Send for review; a trusted organization's submission publishes at once."""
    _require_provider_access(actor, opportunity.provider)
    to = Status.PUBLISHED if opportunity.provider.trusted else None
    return _transition(actor=actor, opportunity=opportunity, action="submit", to=to, check=_check_ready_to_publish)


@transaction.atomic
def opportunity_approve(*, actor: User | None, opportunity: LearningOpportunity, note: str = "") -> LearningOpportunity:
    _require_coordinator(actor, opportunity)
    return _transition(
        actor=actor, opportunity=opportunity, action="approve", reason=note, check=_check_ready_to_publish
    )


@transaction.atomic
def opportunity_return(*, actor: User | None, opportunity: LearningOpportunity, reason: str) -> LearningOpportunity:
    _require_coordinator(actor, opportunity)
    if not reason.strip():
        raise RuleViolation(_("Say what the provider should change."), field="reason")
    return _transition(actor=actor, opportunity=opportunity, action="return", reason=reason.strip())


@transaction.atomic
def opportunity_withdraw(
    *, actor: User | None, opportunity: LearningOpportunity, reason: str = ""
) -> LearningOpportunity:
    """Take off the catalogue (the provider's choice, or a coordinator's)."""
    _require_provider_access(actor, opportunity.provider)
    return _transition(actor=actor, opportunity=opportunity, action="withdraw", reason=reason.strip())


@transaction.atomic
def opportunity_cancel(*, actor: User | None, opportunity: LearningOpportunity, reason: str) -> LearningOpportunity:
    """Call off a published opportunity; it stays listed, marked cancelled, so people who planned
    to come learn of it."""
    _require_provider_access(actor, opportunity.provider)
    if not reason.strip():
        raise RuleViolation(_("Give the reason for the cancellation; the public will see it."), field="reason")
    cancelled = _transition(actor=actor, opportunity=opportunity, action="cancel", reason=reason.strip())
    signals.opportunity_cancelled.send(sender=LearningOpportunity, opportunity=cancelled, actor=actor, reason=reason)
    return cancelled


@transaction.atomic
def opportunity_reopen(*, actor: User | None, opportunity: LearningOpportunity) -> LearningOpportunity:
    """Bring a withdrawn opportunity back as a draft."""
    _require_provider_access(actor, opportunity.provider)
    return _transition(actor=actor, opportunity=opportunity, action="reopen")
