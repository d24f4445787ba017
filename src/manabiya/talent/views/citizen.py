"""A citizen's side of the talent bank: contact a registrant through the platform, request a
delivery lecture, register (choosing who sees each item), answer invitations, volunteer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manabiya.core.errors import RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.models import Municipality
from manabiya.core.outcome import act_and_tell
from manabiya.core.selectors import member_organizations

from .. import selectors, services
from ..forms import ContactForm, InvitationAnswerForm, LectureReportForm, LectureRequestForm, TalentProfileForm
from ..models import LectureRequest, LecturerInvitation, VolunteerAssignment
from .public import profile_page, volunteer_registrations


def _show_rule_violation(form, violation: RuleViolation) -> None:
    """The service speaks of the request's "dates"; the form shows them as the first choice's date."""
    if violation.field == "dates":
        violation = RuleViolation(violation.message, field="date_1", code=violation.code)
    add_rule_violation(form, violation)


@login_required
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Relay a message to a listed registrant; neither address is shown on the page."""
    if request.method != "POST":
        return redirect("talent:profile_detail", pk)
    found = selectors.public_profile(profile_id=pk)
    if found is None:
        raise Http404
    profile, _view = found
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_send(sender=request.user, profile=profile, body=form.cleaned_data["body"])
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("Your message is sent. If they answer, it comes to your email address."))
            return redirect("talent:profile_detail", pk)
    return profile_page(request, pk, form=form)


# --- delivery lectures (出前講座) -----------------------------------------------------------------


@login_required
def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.menu().filter(pk=pk).first()
    if topic is None:
        raise Http404
    initial = {"contact_email": request.user.email, "contact_name": request.user.display_name}
    form = LectureRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lecture = services.request_submit(user=request.user, topic=topic, **form.request_fields())
        except RuleViolation as violation:
            _show_rule_violation(form, violation)
        else:
            if lecture.warnings:
                messages.warning(
                    request,
                    _(
                        "Your request is received. Some of it is outside the usual rules (see below): the request "
                        "still stands, and the coordinators will decide."
                    ),
                )
            else:
                messages.success(request, _("Your request is received. The coordinators will look for a lecturer."))
            return redirect("talent:my_requests")
    return render(request, "talent/request_new.html", {"topic": topic, "form": form, "lead_days": services.LEAD_DAYS})


def _reportable(request: LectureRequest, now) -> bool:
    return request.state == LectureRequest.State.DECIDED and request.starts_at is not None and request.starts_at <= now


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = [
        {"request": lecture, "warnings": services.request_warnings(lecture), "reportable": _reportable(lecture, now)}
        for lecture in selectors.requests_of(user=request.user)[:200]
    ]
    cancellable = (*LectureRequest.OPEN_STATES, LectureRequest.State.DECIDED)
    return render(request, "talent/my_requests.html", {"rows": rows, "cancellable": cancellable, "now": now})


def _own_request(user, pk: int) -> LectureRequest:
    lecture = selectors.requests_of(user=user).filter(pk=pk).first()
    if lecture is None:
        raise Http404
    return lecture


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    lecture = _own_request(request.user, pk)
    act_and_tell(
        request,
        lambda: services.request_cancel(actor=request.user, request=lecture),
        done=_("Your request is cancelled."),
    )
    return redirect("talent:my_requests")


@login_required
def lecture_report(request: HttpRequest, pk: int) -> HttpResponse:
    """After the lecture, the group (who also rates it) or the lecturer reports how many came."""
    lecture = selectors.requests_of(user=request.user).filter(pk=pk).first()
    as_group = lecture is not None
    if lecture is None:
        # A lecture the user gives: the lecturer is one of the registrations they keep.
        lecture = selectors.lectures_given_by(user=request.user).filter(pk=pk).first()
    if lecture is None:
        raise Http404
    back = "talent:my_requests" if as_group else "talent:my_invitations"
    form = LectureReportForm(request.POST or None, with_rating=as_group)
    if request.method == "POST" and form.is_valid():
        try:
            services.lecture_report(actor=request.user, request=lecture, **form.cleaned_data)
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("Thank you for the report."))
            return redirect(back)
    return render(request, "talent/lecture_report.html", {"lecture": lecture, "form": form, "back": back})


@login_required
def my_invitations(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    invitations = list(selectors.invitations_of(user=request.user)[:200])
    rows = [
        {
            "invitation": invitation,
            "gives_it": invitation.state == LecturerInvitation.State.ACCEPTED
            and invitation.request.lecturer_id == invitation.talent_id,
            "reportable": invitation.state == LecturerInvitation.State.ACCEPTED
            and invitation.request.lecturer_id == invitation.talent_id
            and _reportable(invitation.request, now),
            # One form a card, each with its own ids.
            "form": InvitationAnswerForm(auto_id=f"id_invitation{invitation.pk}_%s"),
        }
        for invitation in invitations
    ]
    return render(request, "talent/my_invitations.html", {"rows": rows})


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitations_of(user=request.user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    form = InvitationAnswerForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    accept = request.POST.get("answer") == "accept"
    act_and_tell(
        request,
        lambda: services.invitation_answer(actor=request.user, invitation=invitation, accept=accept, note=note),
        done=_("Thank you: the coordinators will arrange the lecture.") if accept else _("Thank you for answering."),
    )
    return redirect("talent:my_invitations")


# --- the registration ----------------------------------------------------------------------------


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    # profiles_of holds only what the user may edit: their own and their organizations' staff.
    profiles = list(selectors.profiles_of(user=request.user))
    rows = [{"profile": p, "public": selectors.profile_view(p, reader=selectors.PUBLIC)} for p in profiles]
    registered_in = {p.municipality_id for p in profiles if p.organization_id is None}
    municipalities = [m for m in Municipality.objects.order_by("code") if m.pk not in registered_in]
    return render(request, "talent/my_profile.html", {"rows": rows, "municipalities": municipalities})


@login_required
def register(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, code=code)
    organizations = [o for o in member_organizations(user=request.user) if o.municipality_id == municipality.pk]
    initial = {"contact_email": request.user.email, "name": request.user.display_name, "is_instructor": True}
    form = TalentProfileForm(request.POST or None, initial=initial, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        fields = form.profile_fields()
        try:
            services.profile_register(
                user=request.user,
                municipality=municipality,
                organization=form.organization(),
                agrees_to_rules=form.cleaned_data["agrees_to_rules"],
                **fields,
            )
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("Thank you. The coordinators will check your registration."))
            return redirect("talent:my_profile")
    return render(request, "talent/register.html", {"form": form, "municipality": municipality})


def _editable_profile(user, pk: int):
    profile = selectors.profiles_of(user=user).filter(pk=pk).first()
    if profile is None or not services.can_edit_profile(user=user, profile=profile):
        raise Http404
    return profile


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _editable_profile(request.user, pk)
    form = TalentProfileForm(request.POST or None, initial=TalentProfileForm.initial_of(profile), with_rules=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, profile=profile, **form.profile_fields())
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("Your registration is saved."))
            return redirect("talent:my_profile")
    return render(request, "talent/profile_edit.html", {"form": form, "profile": profile})


@login_required
@require_POST
def profile_renew(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _editable_profile(request.user, pk)
    act_and_tell(
        request,
        lambda: services.profile_renew(actor=request.user, profile=profile),
        done=_("Thank you. The coordinators will check your renewal."),
    )
    return redirect("talent:my_profile")


# --- volunteers -----------------------------------------------------------------------------------


@login_required
@require_POST
def need_apply(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.open_needs().filter(pk=pk).first()
    if need is None:
        raise Http404
    registrations = {p.pk: p for p in volunteer_registrations(request.user, need)}
    try:
        talent = registrations[int(request.POST.get("talent", ""))]
    except (KeyError, ValueError):
        messages.error(request, _("Choose one of your approved volunteer registrations in this city."))
        return redirect("talent:need_detail", pk)
    act_and_tell(
        request,
        lambda: services.volunteer_apply(actor=request.user, need=need, talent=talent),
        done=_("Thank you for offering to help. The coordinators will confirm it."),
    )
    return redirect("talent:my_activities")


@login_required
def my_activities(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    record = selectors.volunteer_record(user=request.user)
    totals = {"activities": record.activities, "hours": record.hours}
    return render(
        request,
        "talent/my_activities.html",
        {"assignments": record.assignments, "totals": totals, "now": now, "states": VolunteerAssignment.State},
    )


@login_required
@require_POST
def volunteer_answer(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignments_of(user=request.user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    answer = request.POST.get("answer")
    done = {
        "accept": _("Thank you. The coordinators will confirm it."),
        "decline": _("Thank you for answering."),
        "withdraw": _("You have withdrawn from the activity."),
    }
    if answer not in done:
        messages.error(request, _("Choose an answer."))
        return redirect("talent:my_activities")
    act_and_tell(
        request,
        lambda: services.volunteer_answer(actor=request.user, assignment=assignment, accept=answer == "accept"),
        done=done[answer],
    )
    return redirect("talent:my_activities")
