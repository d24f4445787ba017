"""A citizen's passport: join a programme, see stamps and progress, print the card and the
history, report learning done elsewhere, download certificates and credentials."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from manabiya.core.errors import RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.qr import qr_svg
from manabiya.core.selectors import is_coordinator_of

from .. import documents, selectors, services
from ..forms import JoinForm, ReportForm


def _own(request: HttpRequest, number: str):
    passport = selectors.passport_of(user=request.user, number=number)
    if passport is None:
        raise Http404
    return passport


@login_required
def home(request: HttpRequest) -> HttpResponse:
    passports = list(selectors.passports_of(user=request.user))
    joined = {passport.programme_id for passport in passports}
    return render(
        request,
        "passport/home.html",
        {
            "passports": passports,
            "programmes": [p for p in selectors.programmes_open() if p.pk not in joined],
        },
    )


def _holder_initial(user) -> dict:
    profile = getattr(user, "citizen_profile", None)
    if profile is not None:
        return {"name": profile.name, "kana": profile.name_kana}
    return {"name": user.display_name}


@login_required
def join(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(selectors.programmes_open(), pk=pk)
    form = JoinForm(request.POST or None, initial=_holder_initial(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            passport = services.passport_join(
                user=request.user,
                programme=programme,
                name=form.cleaned_data["name"],
                kana=form.cleaned_data["kana"],
                language=get_language() or "ja",
            )
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("Welcome to %(programme)s.") % {"programme": programme.name})
            return redirect("passport:detail", passport.number)
    return render(
        request,
        "passport/form_page.html",
        {
            "form": form,
            "heading": _("Join %(programme)s") % {"programme": programme.name},
            "intro": programme.description,
            "submit": _("Join"),
            "back_url": reverse("passport:home"),
            "back_label": _("Learning passport"),
        },
    )


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    passport = _own(request, number)
    return render(
        request,
        "passport/detail.html",
        {
            "passport": passport,
            "programme": passport.programme,
            "stamps": list(selectors.stamps(passport)),
            "progress": selectors.progress(passport),
            "levels": list(passport.programme.levels.all()),
            "awards": list(selectors.awards_of(passport)),
            "reports": list(passport.reports.all()[:10]),
            "qr": qr_svg(services.card_payload(passport)),
        },
    )


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def card_pdf(request: HttpRequest, number: str) -> HttpResponse:
    passport = _own(request, number)
    return _pdf(documents.card(passport), f"passport-{passport.number}.pdf")


@login_required
def history_pdf(request: HttpRequest, number: str) -> HttpResponse:
    passport = _own(request, number)
    return _pdf(documents.history(passport), f"learning-history-{passport.number}.pdf")


@login_required
def history_csv(request: HttpRequest, number: str) -> HttpResponse:
    passport = _own(request, number)
    response = HttpResponse(documents.history_csv(passport), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="learning-history-{passport.number}.csv"'
    return response


@login_required
def report(request: HttpRequest, number: str) -> HttpResponse:
    passport = _own(request, number)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(user=request.user, passport=passport, **form.cleaned_data)
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("Thank you. A coordinator will check your report."))
            return redirect("passport:detail", passport.number)
    return render(
        request,
        "passport/form_page.html",
        {
            "form": form,
            "heading": _("Report learning elsewhere"),
            "intro": _("A museum visit, a university's open lecture: a coordinator checks it and adds the stamp."),
            "submit": _("Send the report"),
            "back_url": reverse("passport:detail", args=[passport.number]),
            "back_label": passport.programme.name,
            "multipart": True,
        },
    )


def _award_for(request: HttpRequest, credential_id):
    """The award, for its recipient and the coordinators of its municipality only."""
    award = selectors.award_public(credential_id=credential_id)
    if award is None:
        raise Http404
    if award.recipient_id != request.user.pk and not is_coordinator_of(
        user=request.user, municipality_id=award.municipality_id
    ):
        raise Http404
    return award


@login_required
def certificate(request: HttpRequest, credential_id) -> HttpResponse:
    award = _award_for(request, credential_id)
    return _pdf(documents.certificate(award), f"certificate-{award.credential_id}.pdf")


@login_required
def credential(request: HttpRequest, credential_id) -> HttpResponse:
    award = _award_for(request, credential_id)
    response = HttpResponse(award.signed_credential, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="credential-{award.credential_id}.jwt"'
    return response
