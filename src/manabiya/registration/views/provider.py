"""Provider staff's pages for one opportunity's applications: the roster and its exports, applying
for a caller at the counter, messages, the lottery, and check-in at each session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manabiya.catalog.models import LearningOpportunity, Session
from manabiya.core.bounds import parse_id
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.outcome import act_and_tell
from manabiya.core.selectors import can_manage_organization

from .. import exporting, selectors, services, tasks
from ..forms import ApplicationForm, CodeForm, MessageForm, RulesForm, WalkInForm
from ..models import Application, LotteryDraw


def _managed(request: HttpRequest, pk: int) -> LearningOpportunity:
    opportunity = LearningOpportunity.objects.select_related("provider", "municipality").filter(pk=pk).first()
    if opportunity is None:
        raise Http404
    if not can_manage_organization(user=request.user, organization=opportunity.provider):
        raise PermissionDenied(_("You cannot see the applications of %(org)s.") % {"org": opportunity.provider.name})
    return opportunity


@login_required
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed(request, pk)
    return render(
        request,
        "registration/provider/roster.html",
        {
            "opportunity": opportunity,
            "applications": list(selectors.roster(opportunity=opportunity)),
            "availability": selectors.availability(opportunity=opportunity),
            "session_counts": selectors.session_counts(opportunity=opportunity),
            "draw": LotteryDraw.objects.filter(opportunity=opportunity).first(),
            "message_form": MessageForm(),
        },
    )


def _export_name(opportunity: LearningOpportunity, extension: str) -> str:
    return f'attachment; filename="applications-{opportunity.pk}.{extension}"'


@login_required
def roster_csv(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed(request, pk)
    body = exporting.roster_csv(list(selectors.roster(opportunity=opportunity)))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _export_name(opportunity, "csv")
    return response


@login_required
def roster_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed(request, pk)
    body = exporting.roster_xlsx(list(selectors.roster(opportunity=opportunity)), title=opportunity.title)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _export_name(opportunity, "xlsx")
    return response


@login_required
def rules_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed(request, pk)
    form = RulesForm(request.POST or None, instance=services.rules_for(opportunity))
    if request.method == "POST" and form.is_valid():
        services.rules_save(actor=request.user, opportunity=opportunity, form=form)
        messages.success(request, _("Application settings saved."))
        return redirect("registration:roster", opportunity.pk)
    return render(request, "registration/provider/rules.html", {"opportunity": opportunity, "form": form})


@login_required
def apply_for(request: HttpRequest, pk: int) -> HttpResponse:
    """代理申込: staff apply for a caller or a visitor at the counter, who may have no account."""
    opportunity = _managed(request, pk)
    dates = selectors.availability(opportunity=opportunity).sessions
    form_kwargs = {
        "rules": services.rules_for(opportunity),
        "opportunity": opportunity,
        "counter": True,
        "dates": dates,
    }
    if request.method == "POST":
        form = ApplicationForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                application = services.application_create(
                    actor=request.user,
                    opportunity=opportunity,
                    applicant=form.applicant(),
                    spec=form.spec(),
                    on_behalf=True,
                    session=form.chosen_session(),
                    request_key=form.cleaned_data["request_key"],
                    language=get_language() or "ja",
                )
            except RuleViolation as violation:
                add_rule_violation(form, violation)
            else:
                messages.success(
                    request,
                    _("Applied for %(name)s: %(status)s. Check-in code %(code)s.")
                    % {
                        "name": application.name,
                        "status": application.get_status_display(),
                        "code": application.checkin_code,
                    },
                )
                return redirect("registration:roster", opportunity.pk)
    else:
        form = ApplicationForm(**form_kwargs)
    return render(request, "registration/provider/apply_for.html", {"opportunity": opportunity, "form": form})


@login_required
@require_POST
def application_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application.objects.select_related("opportunity__provider"), pk=pk)
    _managed(request, application.opportunity_id)
    act_and_tell(
        request,
        lambda: services.application_cancel(
            actor=request.user, application=application, reason=request.POST.get("reason", "")
        ),
        done=_("Cancelled the application of %(name)s.") % {"name": application.name},
    )
    return redirect("registration:roster", application.opportunity_id)


@login_required
@require_POST
def message_all(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        count = services.participants_message(
            actor=request.user,
            opportunity=opportunity,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, _("Message sent to %(n)d participants.") % {"n": count})
    else:
        messages.error(request, _("Write a subject and a message."))
    return redirect("registration:roster", opportunity.pk)


@login_required
def lottery(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the draw's record. POST: draw it now, as a background task."""
    opportunity = _managed(request, pk)
    if request.method == "POST":
        try:
            services.lottery_check_drawable(opportunity=opportunity)
        except RuleViolation as violation:
            messages.error(request, violation.message)
        else:
            tasks.lottery_draw_task.enqueue(opportunity_id=opportunity.pk, actor_id=request.user.pk)
            messages.success(request, _("The draw has started; the results appear here when it is done."))
        return redirect("registration:lottery", opportunity.pk)
    draw = LotteryDraw.objects.filter(opportunity=opportunity).select_related("drawn_by").first()
    return render(
        request,
        "registration/provider/lottery.html",
        {"opportunity": opportunity, "draw": draw, "availability": selectors.availability(opportunity=opportunity)},
    )


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's roster on a phone: scan a QR code, type a code, tick a name, count walk-ins."""
    session = get_object_or_404(Session.objects.select_related("opportunity__provider"), pk=pk)
    opportunity = _managed(request, session.opportunity_id)
    code_form, walk_in_form = CodeForm(), WalkInForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "code":
                code_form = CodeForm(request.POST)
                if code_form.is_valid():
                    _check_in_by_code(request, session, code_form.cleaned_data["code"])
                    return redirect("registration:checkin", session.pk)
            elif action in ("tick", "untick"):
                application = _roster_application(request, opportunity)
                try:
                    if action == "tick":
                        services.attendance_record(actor=request.user, session=session, application=application)
                    else:
                        services.attendance_remove(actor=request.user, session=session, application=application)
                except RuleViolation as violation:
                    # A tick carries nothing typed: say why above the list (cancelled meanwhile, waiting).
                    messages.error(request, violation.message)
                return redirect("registration:checkin", session.pk)
            elif action == "walk_in":
                walk_in_form = WalkInForm(request.POST)
                if walk_in_form.is_valid():
                    services.walk_in_record(actor=request.user, session=session, **walk_in_form.cleaned_data)
                    messages.success(request, _("Walk-in recorded."))
                    return redirect("registration:checkin", session.pk)
        except RuleViolation as violation:
            add_rule_violation(code_form, violation)
    entries = selectors.session_roster(session=session)
    return render(
        request,
        "registration/provider/checkin.html",
        {
            "session": session,
            "opportunity": opportunity,
            "entries": entries,
            "present": sum(1 for _a, attendance in entries if attendance),
            "code_form": code_form,
            "walk_in_form": walk_in_form,
            "walk_ins": list(session.walk_ins.all()),
        },
    )


def _roster_application(request: HttpRequest, opportunity: LearningOpportunity) -> Application:
    """The application a roster tick names; 404 for an id that is not a number of this course's."""
    return get_object_or_404(Application, pk=parse_id(request.POST.get("application")), opportunity=opportunity)


def _check_in_by_code(request: HttpRequest, session: Session, text: str) -> None:
    """A scanned QR code carries a signed payload (with a colon); a typed code is 8 characters."""
    kind = {"payload": text} if ":" in text else {"code": text}
    attendance, created = services.attendance_record(actor=request.user, session=session, **kind)
    name = attendance.application.name
    if created:
        messages.success(request, _("Checked in: %(name)s.") % {"name": name})
    else:
        messages.info(request, _("%(name)s was already checked in.") % {"name": name})
