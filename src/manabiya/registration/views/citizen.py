"""Citizens' pages: apply, My page (マイページ), one application with its QR code, cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manabiya.catalog import selectors as catalog_selectors
from manabiya.core.errors import RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.outcome import act_and_tell
from manabiya.core.qr import qr_svg

from .. import selectors, services
from ..forms import ApplicationForm, ProfileForm
from ..models import CitizenProfile


def _profile_initial(user) -> dict:
    profile = CitizenProfile.objects.filter(user=user).first()
    if profile is None:
        return {"name": user.display_name}
    return {
        "name": profile.name,
        "name_kana": profile.name_kana,
        "phone": profile.phone,
        "age_band": profile.age_band,
        "municipality": profile.municipality_id,
        "residency": profile.residency,
    }


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    # The form shows the title and dates only, not the opportunity's page.
    opportunity = catalog_selectors.opportunity_visible_to(user=request.user, opportunity_id=pk, for_page=False)
    if opportunity is None:
        raise Http404
    existing = selectors.active_application(user=request.user, opportunity=opportunity)
    if existing is not None:
        return redirect("registration:application_detail", existing.pk)
    rules = services.rules_for(opportunity)
    # The form needs the availability for its list of dates only; a POST that goes through has no
    # page to show it on, and at opening hour every query here is multiplied by the crowd.
    per_date = services.takes_per_session(opportunity, rules)
    availability = selectors.availability(opportunity=opportunity) if per_date or request.method != "POST" else None
    form_kwargs = {"rules": rules, "opportunity": opportunity, "email": request.user.email,
                   "dates": availability.sessions if availability else ()}  # fmt: skip
    if request.method == "POST":
        form = ApplicationForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                application = services.application_create(
                    actor=request.user,
                    opportunity=opportunity,
                    applicant=form.applicant(),
                    spec=form.spec(),
                    session=form.chosen_session(),
                    request_key=form.cleaned_data["request_key"],
                    language=get_language() or "ja",
                )
            except RuleViolation as violation:
                add_rule_violation(form, violation)
            else:
                services.profile_save(user=request.user, **form.profile_fields())
                messages.success(request, _("Thank you. %(status)s.") % {"status": application.get_status_display()})
                return redirect("registration:application_detail", application.pk)
    else:
        form = ApplicationForm(initial=_profile_initial(request.user), **form_kwargs)
    return render(
        request,
        "registration/apply.html",
        {"opportunity": opportunity, "form": form,
         "availability": availability or selectors.availability(opportunity=opportunity)},
    )  # fmt: skip


@login_required
def mypage(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/mypage.html", {"page": selectors.mypage(user=request.user)})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    instance = CitizenProfile.objects.filter(user=request.user).first()
    form = ProfileForm(request.POST or None, instance=instance, initial=_profile_initial(request.user))
    if request.method == "POST" and form.is_valid():
        services.profile_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your details are saved."))
        return redirect("registration:mypage")
    return render(request, "registration/profile.html", {"form": form})


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_of(user=request.user, application_id=pk)
    if application is None:
        raise Http404
    context = {
        "application": application,
        "opportunity": application.opportunity,
        "deadline": services.cancellation_deadline(application),
    }
    if application.status == "confirmed":
        context["qr"] = qr_svg(services.checkin_payload(application))
    return render(request, "registration/application_detail.html", context)


def _own_or_404(request, pk):
    application = selectors.application_of(user=request.user, application_id=pk)
    if application is None:
        raise Http404
    return application


@login_required
@require_POST
def application_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_or_404(request, pk)
    act_and_tell(
        request,
        lambda: services.application_cancel(actor=request.user, application=application),
        done=_("Your application has been cancelled."),
    )
    return redirect("registration:application_detail", pk)


@login_required
@require_POST
def offer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_or_404(request, pk)
    act_and_tell(
        request,
        lambda: services.offer_confirm(actor=request.user, application=application),
        done=_("Your place is confirmed."),
    )
    return redirect("registration:application_detail", pk)
