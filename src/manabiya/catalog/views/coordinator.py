"""Pages of a municipality's lifelong-learning coordinator (生涯学習担当): overview and review queue."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manabiya.core import mail
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.selectors import coordinated_municipalities, is_coordinator_of

from .. import selectors, selectors_coordinator, services
from ..forms_coordinator import ApproveForm, ReturnForm
from ..models import LearningOpportunity, Status

PAGE_SIZE = 50
FAILED_EMAILS_SHOWN = 20


def coordinator_required(view):
    """Let in coordinators only: anonymous visitors go to the login page, everyone else gets 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not coordinated_municipalities(user=request.user).exists():
            raise PermissionDenied(_("Only a municipality's lifelong-learning coordinator can open this page."))
        return view(request, *args, **kwargs)

    return wrapped


def _reviewable(request: HttpRequest, pk: int) -> LearningOpportunity:
    """The opportunity `pk` if the user coordinates its municipality: 404 if missing, 403 if not theirs."""
    municipality_id = selectors_coordinator.opportunity_municipality_id(opportunity_id=pk)
    if municipality_id is None:
        raise Http404
    if not is_coordinator_of(user=request.user, municipality_id=municipality_id):
        raise PermissionDenied(_("This opportunity belongs to a municipality you do not coordinate."))
    return selectors_coordinator.opportunity_for_review(opportunity_id=pk)


@coordinator_required
def coordinator_home(request: HttpRequest) -> HttpResponse:
    overview = selectors_coordinator.status_overview(user=request.user)
    awaiting = sum(c.count for row in overview for c in row.counts if c.status == Status.SUBMITTED)
    failed = mail.failed_for(user=request.user)
    return render(
        request,
        "catalog/coordinator/home.html",
        {
            "overview": overview,
            "awaiting": awaiting,
            "failed_emails": list(failed[:FAILED_EMAILS_SHOWN]),
            "failed_email_count": failed.count(),
        },
    )


@coordinator_required
def review_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.review_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/coordinator/review_queue.html",
        {
            "page": page,
            # Name the municipality on each row only when the user answers for more than one.
            "show_municipality": coordinated_municipalities(user=request.user).count() != 1,
        },
    )


def _render_review(
    request: HttpRequest,
    opportunity: LearningOpportunity,
    *,
    approve_form: ApproveForm | None = None,
    return_form: ReturnForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "catalog/coordinator/review_detail.html",
        {
            "opportunity": opportunity,
            "sessions": list(opportunity.sessions.all()),
            "history": selectors.status_history_rows(opportunity=opportunity),
            "cancel_reason": selectors.cancellation_reason(opportunity=opportunity),
            "awaiting_review": opportunity.status == Status.SUBMITTED,
            "approve_form": approve_form or ApproveForm(),
            "return_form": return_form or ReturnForm(),
        },
    )


@coordinator_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_review(request, _reviewable(request, pk))


@require_POST
@coordinator_required
def opportunity_approve(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _reviewable(request, pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.opportunity_approve(actor=request.user, opportunity=opportunity, note=form.cleaned_data["note"])
        except RuleViolation as refused:
            add_rule_violation(form, refused)
        else:
            messages.success(request, _("“%(title)s” is published.") % {"title": opportunity.title})
            return redirect("catalog:review_queue")
    return _render_review(request, opportunity, approve_form=form)


@require_POST
@coordinator_required
def opportunity_return(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _reviewable(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.opportunity_return(actor=request.user, opportunity=opportunity, reason=form.cleaned_data["reason"])
        except RuleViolation as refused:
            add_rule_violation(form, refused)
        else:
            messages.success(
                request, _("“%(title)s” is returned to %(provider)s.") % {
                    "title": opportunity.title, "provider": opportunity.provider.name,
                }
            )  # fmt: skip
            return redirect("catalog:review_queue")
    return _render_review(request, opportunity, return_form=form)
