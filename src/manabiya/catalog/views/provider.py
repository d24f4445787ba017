"""Pages of provider members: their organizations' opportunities, from draft to publication."""

from collections.abc import Callable
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.models import Organization
from manabiya.core.selectors import can_manage_organization, member_organizations

from .. import provider_support, selectors, services
from ..forms_provider import OpportunityEditor, ReasonForm
from ..models import LearningOpportunity, Status

PAGE_SIZE = 50


class Action(NamedTuple):
    label: str
    service: Callable[..., LearningOpportunity]
    done: str  # said when it worked
    help: str  # said next to the button
    reason_label: str = ""  # asks for a reason when set


# Workflow buttons of the edit page, in the order they are shown.
ACTIONS = {
    "submit": Action(
        gettext_lazy("Submit for review"),
        services.opportunity_submit,
        gettext_lazy("Submitted. A coordinator will review it."),
        gettext_lazy("A coordinator checks it before it appears in the catalogue."),
    ),
    "reopen": Action(
        gettext_lazy("Reopen as a draft"),
        services.opportunity_reopen,
        gettext_lazy("Reopened as a draft."),
        gettext_lazy("Make it a draft again, to change it and submit it anew."),
    ),
    "withdraw": Action(
        gettext_lazy("Withdraw"),
        services.opportunity_withdraw,
        gettext_lazy("Withdrawn. It is no longer in the catalogue."),
        gettext_lazy("Takes it out of the catalogue. You can reopen it as a draft later."),
        gettext_lazy("Reason for withdrawing (optional)"),
    ),
    "cancel": Action(
        gettext_lazy("Cancel the opportunity"),
        services.opportunity_cancel,
        gettext_lazy("Cancelled. The catalogue marks it as cancelled and shows your reason."),
        gettext_lazy("It stays in the catalogue, marked as cancelled, so that people who planned to come find out."),
        gettext_lazy("Reason for the cancellation (the public sees it)"),
    ),
}

TRUSTED_SUBMIT_HELP = gettext_lazy("Your organization publishes without review: it appears in the catalogue at once.")


def _require_manager(request: HttpRequest, organization: Organization) -> None:
    if not can_manage_organization(user=request.user, organization=organization):
        raise PermissionDenied(_("You cannot manage opportunities of %(org)s.") % {"org": organization.name})


def _managed_opportunity(request: HttpRequest, pk: int) -> LearningOpportunity:
    opportunity = selectors.with_page_relations(LearningOpportunity.objects.filter(pk=pk)).first()
    if opportunity is None:
        raise Http404
    _require_manager(request, opportunity.provider)
    return opportunity


@login_required
def provider_dashboard(request: HttpRequest) -> HttpResponse:
    organizations = list(member_organizations(user=request.user).order_by("name"))
    organization = next((o for o in organizations if str(o.pk) == request.GET.get("org")), None)
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    mine = selectors.provider_opportunities(user=request.user, organization=organization)
    counts = provider_support.status_counts(mine)
    page = Paginator(provider_support.dashboard_rows(mine, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    reasons = selectors.latest_reasons(
        opportunities=[o for o in page.object_list if o.status == Status.RETURNED], action="return"
    )
    for opportunity in page.object_list:
        opportunity.return_reason = reasons.get(opportunity.pk, "")
        opportunity.editable = opportunity.status in services.EDITABLE_STATUSES
    status_filters = [
        (value, Status(value).label, counts.get(value, 0))
        for value in provider_support.DASHBOARD_STATUS_ORDER
        if counts.get(value) or value == status
    ]
    return render(
        request,
        "catalog/provider/dashboard.html",
        {
            "organizations": organizations,
            "organization": organization,
            "status": status,
            "status_filters": status_filters,
            "total": sum(counts.values()),
            "page": page,
        },
    )


@login_required
def opportunity_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    provider = get_object_or_404(Organization.objects.select_related("municipality"), pk=org_pk)
    _require_manager(request, provider)
    if request.method == "POST":
        editor = OpportunityEditor(request.POST, request.FILES, provider=provider)
        if editor.is_valid():
            try:
                opportunity = services.opportunity_create(
                    actor=request.user, provider=provider, **editor.service_kwargs()
                )
            except RuleViolation as violation:
                editor.add_violation(violation)
            else:
                messages.success(request, _("The draft is saved. Submit it for review when it is ready."))
                return redirect("catalog:opportunity_edit", pk=opportunity.pk)
    else:
        editor = OpportunityEditor(provider=provider)
    return render(
        request,
        "catalog/provider/opportunity_form.html",
        {"editor": editor, "provider": provider, "opportunity": None},
    )


def _render_edit(request, opportunity, *, editor=None, reason_forms=None, action_error=None):
    """The edit page: the form while the opportunity can be edited (or a bound one the service just
    refused, so nothing typed is lost), its workflow buttons and its history."""
    if editor is None and opportunity.status in services.EDITABLE_STATUSES:
        editor = OpportunityEditor(provider=opportunity.provider, opportunity=opportunity)
    reason_forms = reason_forms or {}
    actions = [
        {
            "url_name": f"catalog:opportunity_{name}",
            "name": name,
            "action": action,
            "help": TRUSTED_SUBMIT_HELP if name == "submit" and opportunity.provider.trusted else action.help,
            "reason_form": reason_forms.get(name)
            or (ReasonForm(action=name, label=action.reason_label) if action.reason_label else None),
        }
        for name, action in ACTIONS.items()
        if opportunity.status in services.TRANSITIONS[name][0]
    ]
    history = selectors.status_history_rows(opportunity=opportunity)
    if action_error and "anchor" not in action_error:
        # Point at the field the refusal is about, when the page shows it.
        field = action_error["field"]
        if editor is None or not field:
            action_error["anchor"] = ""
        elif field == "sessions":
            action_error["anchor"] = "sessions"
        else:
            action_error["anchor"] = editor.form[field].id_for_label if field in editor.form.fields else ""
    return render(
        request,
        "catalog/provider/opportunity_form.html",
        {
            "editor": editor,
            "provider": opportunity.provider,
            "opportunity": opportunity,
            "actions": actions,
            "action_error": action_error,
            "history": history,
            "return_reason": (
                selectors.latest_reason(opportunity=opportunity, action="return")
                if opportunity.status == Status.RETURNED
                else ""
            ),
        },
    )


@login_required
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _managed_opportunity(request, pk)
    if request.method != "POST":
        return _render_edit(request, opportunity)
    editor = OpportunityEditor(request.POST, request.FILES, provider=opportunity.provider, opportunity=opportunity)
    if editor.is_valid():
        try:
            services.opportunity_update(actor=request.user, opportunity=opportunity, **editor.service_kwargs())
        except RuleViolation as violation:
            editor.add_violation(violation)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("catalog:opportunity_edit", pk=opportunity.pk)
    return _render_edit(request, opportunity, editor=editor)


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one workflow service; on refusal show the edit page with the message at its button."""
    opportunity = _managed_opportunity(request, pk)
    label, service, done, _help, reason_label = ACTIONS[action]
    reason_form = ReasonForm(request.POST, action=action, label=reason_label) if reason_label else None
    action_error = None
    if reason_form is None or reason_form.is_valid():
        kwargs = {"reason": reason_form.cleaned_data["reason"]} if reason_form is not None else {}
        try:
            changed = service(actor=request.user, opportunity=opportunity, **kwargs)
        except RuleViolation as violation:
            if reason_form is not None and violation.field == "reason":
                add_rule_violation(reason_form, violation)
            else:
                action_error = {"label": label, "message": violation.message, "field": violation.field or ""}
        else:
            if action == "submit" and changed.status == Status.PUBLISHED:
                messages.success(request, _("Published. Your organization's submissions need no review."))
            else:
                messages.success(request, done)
            return redirect("catalog:opportunity_edit", pk=opportunity.pk)
    if reason_form is not None and reason_form.errors:
        # The message sits beside the reason box, far down the page: say it at the top as well.
        message = reason_form.errors["reason"][0]
        action_error = {"label": label, "message": message, "anchor": reason_form["reason"].auto_id}
    # Show the state as it is now: the refusal may come from a change someone else made.
    opportunity = _managed_opportunity(request, pk)
    reason_forms = {action: reason_form} if reason_form is not None else None
    return _render_edit(request, opportunity, reason_forms=reason_forms, action_error=action_error)


@login_required
@require_POST
def opportunity_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "submit")


@login_required
@require_POST
def opportunity_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "withdraw")


@login_required
@require_POST
def opportunity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "cancel")


@login_required
@require_POST
def opportunity_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "reopen")
