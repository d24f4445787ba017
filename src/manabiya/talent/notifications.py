"""Emails of the talent bank and delivery lectures, sent by a background task after the change commits.

Each kind builds one message per recipient: the group and the lecturer never see each other's
address, and a message relayed to a registrant carries the sender's address only as Reply-To.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manabiya.core.mail import about

from .models import ContactMessage, LectureRequest, LecturerInvitation, TalentProfile, VolunteerAssignment


@dataclass
class Notice:
    to: str
    name: str
    subject: str
    lead: str
    details: list[tuple[str, str]] = field(default_factory=list)
    path: str = ""
    reply_to: str = ""
    municipality_id: int | None = None


def queue(kind: str, pk: int) -> None:
    """Send `kind` about the object `pk` once the current transaction commits."""
    if kind not in BUILDERS:
        raise ValueError(kind)
    from .tasks import send_talent_email

    transaction.on_commit(lambda: send_talent_email.enqueue(kind=kind, pk=pk))


def send(*, kind: str, pk: int) -> int:
    """Build and send the messages of `kind`; returns how many went."""
    base = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        notices = [n for n in BUILDERS[kind](pk) if n.to]
        with get_connection() as connection:
            for notice in notices:
                body = render_to_string("talent/email/notice.txt", {"notice": notice, "url": base + notice.path})
                message = EmailMessage(
                    subject=notice.subject,
                    body=body,
                    to=[notice.to],
                    reply_to=[notice.reply_to] if notice.reply_to else None,
                    connection=connection,
                )
                about(message, municipality_id=notice.municipality_id).send()
    return len(notices)


def _when(start, end=None) -> str:
    start = timezone.localtime(start)
    text = f"{start:%Y-%m-%d %H:%M}"
    return f"{text}–{timezone.localtime(end):%H:%M}" if end else text


def _request(pk: int) -> LectureRequest:
    return LectureRequest.objects.select_related("topic__provider", "lecturer").get(pk=pk)


def _lecture_details(request: LectureRequest) -> list[tuple[str, str]]:
    dates = (
        _when(request.starts_at, request.ends_at)
        if request.starts_at
        else "\n  ".join(f"{d.rank}. {_when(d.starts_at, d.ends_at)}" for d in request.dates.all())
    )
    return [
        (_("Lecture"), request.topic.title),
        (_("Group"), request.group_name),
        (_("Date") if request.starts_at else _("Dates asked for"), dates),
        (_("Place"), request.place),
        (_("Expected attendance"), str(request.expected_attendance)),
    ]


def _request_received(pk: int) -> list[Notice]:
    request = _request(pk)
    return [
        Notice(
            to=request.contact_email,
            name=request.contact_name,
            subject=_("Delivery lecture request received: %(topic)s") % {"topic": request.topic.title},
            lead=_(
                "We have received your request. The coordinators will look for a lecturer and send you the "
                "decision; you can follow it on the page below."
            ),
            details=_lecture_details(request),
            path=reverse("talent:my_requests"),
            municipality_id=request.municipality_id,
        )
    ]


def _invitation(pk: int) -> list[Notice]:
    invitation = LecturerInvitation.objects.select_related("talent", "request__topic").get(pk=pk)
    request = invitation.request
    details = _lecture_details(request)
    if invitation.message:
        details.append((_("Message"), invitation.message))
    return [
        Notice(
            to=invitation.talent.contact_email,
            name=invitation.talent.name,
            subject=_("Would you give a delivery lecture? %(topic)s") % {"topic": request.topic.title},
            lead=_(
                "A group has asked for a delivery lecture the coordinators think you could give. Please answer "
                "on the page below, yes or no."
            ),
            details=details,
            path=reverse("talent:my_invitations"),
            municipality_id=request.municipality_id,
        )
    ]


def _decided(pk: int) -> list[Notice]:
    request = _request(pk)
    details = _lecture_details(request)
    lecturer = request.lecturer.name if request.lecturer else request.topic.provider.name
    details.append((_("Lecturer"), lecturer))
    if request.decision_note:
        details.append((_("Note"), request.decision_note))
    subject = _("Decision: delivery lecture %(topic)s on %(date)s") % {
        "topic": request.topic.title,
        "date": f"{timezone.localtime(request.starts_at):%Y-%m-%d}",
    }
    lead = _("The delivery lecture is decided as below (決定通知). After it, please report how many took part.")
    return _to_group_and_lecturer(request, subject=subject, lead=lead, details=details)


def _to_group_and_lecturer(request: LectureRequest, *, subject: str, lead: str, details) -> list[Notice]:
    """The same notice to the group and to the lecturer, each on a message of their own."""
    city = request.municipality_id
    notices = [
        Notice(
            request.contact_email, request.contact_name, subject, lead, details, reverse("talent:my_requests"),
            municipality_id=city,
        )
    ]  # fmt: skip
    if request.lecturer:
        lecturer = request.lecturer
        notices.append(
            Notice(
                lecturer.contact_email, lecturer.name, subject, lead, details, reverse("talent:my_invitations"),
                municipality_id=city,
            )
        )  # fmt: skip
    return notices


def _refused(pk: int) -> list[Notice]:
    request = _request(pk)
    details = [*_lecture_details(request), (_("Reason"), request.decision_note)]
    return [
        Notice(
            to=request.contact_email,
            name=request.contact_name,
            subject=_("About your delivery lecture request: %(topic)s") % {"topic": request.topic.title},
            lead=_("We are sorry: this lecture cannot be arranged, for the reason below."),
            details=details,
            path=reverse("talent:my_requests"),
            municipality_id=request.municipality_id,
        )
    ]


def _cancelled(pk: int) -> list[Notice]:
    request = _request(pk)
    subject = _("Cancelled: delivery lecture %(topic)s") % {"topic": request.topic.title}
    lead = _("The delivery lecture below has been cancelled.")
    return _to_group_and_lecturer(request, subject=subject, lead=lead, details=_lecture_details(request))


def _activity_details(assignment: VolunteerAssignment) -> list[tuple[str, str]]:
    need = assignment.need
    return [
        (_("Activity"), need.title),
        (_("Asked by"), need.organization.name),
        (_("Date"), _when(need.starts_at, need.ends_at)),
        (_("Place"), need.place),
    ]


def _assignment(pk: int) -> VolunteerAssignment:
    return VolunteerAssignment.objects.select_related("talent", "need__organization").get(pk=pk)


def _to_volunteer(pk: int, *, subject: str, lead: str) -> list[Notice]:
    assignment = _assignment(pk)
    return [
        Notice(
            to=assignment.talent.contact_email,
            name=assignment.talent.name,
            subject=subject % {"title": assignment.need.title},
            lead=lead,
            details=_activity_details(assignment),
            path=reverse("talent:my_activities"),
            municipality_id=assignment.need.municipality_id,
        )
    ]


def _volunteer_invited(pk: int) -> list[Notice]:
    return _to_volunteer(
        pk,
        subject=_("Would you help? %(title)s"),
        lead=_("You are invited to volunteer for the activity below. Please answer on the page below."),
    )


def _volunteer_confirmed(pk: int) -> list[Notice]:
    return _to_volunteer(
        pk, subject=_("Confirmed: %(title)s"), lead=_("Thank you: your place as a volunteer is confirmed.")
    )


def _need_cancelled(pk: int) -> list[Notice]:
    return _to_volunteer(
        pk,
        subject=_("Cancelled: %(title)s"),
        lead=_("The volunteer activity below has been cancelled. Thank you for offering to help."),
    )


def _profile_decided(pk: int) -> list[Notice]:
    profile = TalentProfile.objects.select_related("municipality").get(pk=pk)
    if profile.state == TalentProfile.State.APPROVED:
        subject = _("Your talent bank registration is approved")
        lead = _("Your registration in the talent bank of %(city)s is approved until %(date)s.") % {
            "city": profile.municipality.name,
            "date": f"{profile.valid_until:%Y-%m-%d}",
        }
    else:
        subject = _("About your talent bank registration")
        lead = _("Your registration in the talent bank of %(city)s was not approved.") % {
            "city": profile.municipality.name
        }
    details = [(_("Reason"), profile.decision_reason)] if profile.decision_reason else []
    city = profile.municipality_id
    return [
        Notice(
            profile.contact_email,
            profile.name,
            subject,
            lead,
            details,
            reverse("talent:my_profile"),
            municipality_id=city,
        )
    ]


def _renewal(pk: int) -> list[Notice]:
    profile = TalentProfile.objects.select_related("municipality").get(pk=pk)
    lead = _(
        "Your registration in the talent bank of %(city)s ends on %(date)s, with the fiscal year. To stay "
        "registered, renew it on the page below."
    ) % {
        "city": profile.municipality.name,
        "date": f"{profile.valid_until:%Y-%m-%d}",
    }
    subject = _("Your talent bank registration ends on %(date)s") % {"date": f"{profile.valid_until:%Y-%m-%d}"}
    city = profile.municipality_id
    return [
        Notice(
            profile.contact_email, profile.name, subject, lead, [], reverse("talent:my_profile"), municipality_id=city
        )
    ]


def _contact(pk: int) -> list[Notice]:
    message = ContactMessage.objects.select_related("profile", "sender").get(pk=pk)
    sender = message.sender.display_name or message.sender.email
    lead = _("%(sender)s wrote to you through the talent bank. Your address was not shown to them; answer by "
             "replying to this email only if you wish.") % {"sender": sender}  # fmt: skip
    return [
        Notice(
            to=message.profile.contact_email,
            name=message.profile.name,
            subject=_("A message through the talent bank"),
            lead=lead,
            details=[(_("Message"), message.body)],
            reply_to=message.sender.email,
            municipality_id=message.profile.municipality_id,
        )
    ]


BUILDERS: dict[str, Callable[[int], list[Notice]]] = {
    "request_received": _request_received,
    "invitation": _invitation,
    "decided": _decided,
    "refused": _refused,
    "cancelled": _cancelled,
    "volunteer_invited": _volunteer_invited,
    "volunteer_confirmed": _volunteer_confirmed,
    "need_cancelled": _need_cancelled,
    "profile_decided": _profile_decided,
    "renewal": _renewal,
    "contact": _contact,
}
