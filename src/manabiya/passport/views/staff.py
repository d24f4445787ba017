"""Staff pages of the passport. Coordinators: programmes, approvals, the counter, figures,
certifications and revocations. Providers: opting opportunities in, stamping passports at a session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manabiya.catalog.models import LearningOpportunity, Session
from manabiya.core.bounds import parse_id
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.models import Municipality, User
from manabiya.core.selectors import can_manage_organization, coordinated_municipalities, is_coordinator_of

from .. import documents, selectors, services
from ..forms import (
    CardCodeForm,
    CertificationForm,
    CounterStampForm,
    DecisionForm,
    GrantForm,
    ProgrammeForm,
    RevokeForm,
)
from ..models import Award, Certification, LearningReport, Participation, Programme
from .citizen import _pdf


def _require_coordinator(request: HttpRequest, municipality_id: int) -> None:
    if not is_coordinator_of(user=request.user, municipality_id=municipality_id):
        raise PermissionDenied(_("Only the municipality's coordinators can do this."))


def _coordinated_municipality(request: HttpRequest, code: str) -> Municipality:
    municipality = get_object_or_404(Municipality, code=code)
    _require_coordinator(request, municipality.pk)
    return municipality


def _coordinated_programme(request: HttpRequest, pk: int) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("municipality"), pk=pk)
    _require_coordinator(request, programme.municipality_id)
    return programme


def _form_page(request: HttpRequest, form, *, heading: str, submit: str, intro: str = "") -> HttpResponse:
    return render(
        request,
        "passport/form_page.html",
        {
            "form": form,
            "heading": heading,
            "intro": intro,
            "submit": submit,
            "back_url": reverse("passport:staff_index"),
            "back_label": _("Learning passport"),
        },
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    municipalities = list(coordinated_municipalities(user=request.user))
    organizations = request.user.memberships.values_list("organization_id", flat=True)
    opportunities = LearningOpportunity.objects.filter(provider_id__in=organizations).order_by("-first_starts_at")[:50]
    if not municipalities and not organizations:
        raise PermissionDenied(_("This page is for coordinators and providers."))
    return render(
        request,
        "passport/staff/index.html",
        {
            "programmes": list(selectors.programmes_coordinated(user=request.user)),
            "municipalities": municipalities,
            "opportunities": list(opportunities),
            "certifications": list(Certification.objects.filter(municipality__in=municipalities)),
        },
    )


@login_required
def programme_new(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _coordinated_municipality(request, code)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        levels = data.pop("levels")
        try:
            programme = services.programme_create(actor=request.user, municipality=municipality, levels=levels, **data)
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            return redirect("passport:programme", programme.pk)
    return _form_page(request, form, heading=_("New passport programme: %(city)s") % {"city": municipality.name},
                      submit=_("Create the programme"))  # fmt: skip


@login_required
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _coordinated_programme(request, pk)
    lookup = CardCodeForm(request.GET or None)
    if request.GET.get("code") and lookup.is_valid():
        passport = selectors.passport_for_staff(user=request.user, number=lookup.cleaned_data["code"])
        if passport is not None and passport.programme_id == programme.pk:
            return redirect("passport:staff_passport", passport.number)
        lookup.add_error("code", _("No passport in this programme has that number."))
    return render(
        request,
        "passport/staff/programme.html",
        {
            "programme": programme,
            "figures": selectors.programme_figures(programme),
            "levels": list(programme.levels.all()),
            "participations": list(selectors.participations_pending(programme)),
            "approved": list(
                programme.participations.filter(state=Participation.State.APPROVED).select_related("opportunity")
            ),
            "reports": list(selectors.reports_pending(programme)),
            "awards": list(
                Award.objects.filter(passport__programme=programme).select_related("level").order_by("-issued_at")[:50]
            ),
            "lookup": lookup,
        },
    )


@login_required
@require_POST
def participation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    participation = get_object_or_404(Participation.objects.select_related("programme"), pk=pk)
    services.participation_decide(
        actor=request.user, participation=participation, approve=request.POST.get("decision") == "approve"
    )
    return redirect("passport:programme", participation.programme_id)


@login_required
def report_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A report's photo, for the coordinators who decide it and the citizen who sent it: never a
    public media URL, as it may show people."""
    report = get_object_or_404(LearningReport.objects.select_related("passport__programme"), pk=pk)
    own = report.passport.user_id == request.user.pk
    if not report.photo or not (
        own or is_coordinator_of(user=request.user, municipality_id=report.passport.programme.municipality_id)
    ):
        raise Http404
    try:
        return FileResponse(report.photo.open("rb"))
    except FileNotFoundError:
        raise Http404 from None


@login_required
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(LearningReport.objects.select_related("passport__programme"), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.report_decide(
            actor=request.user,
            report=report,
            approve=request.POST.get("decision") == "approve",
            reason=form.cleaned_data.get("reason", ""),
        )
    except RuleViolation as violation:
        messages.error(request, violation.message)
    return redirect("passport:programme", report.passport.programme_id)


def _counter_sessions(programme: Programme) -> list[tuple[int, str]]:
    sessions = Session.objects.filter(
        opportunity__passport_participations__programme=programme,
        opportunity__passport_participations__state=Participation.State.APPROVED,
        starts_at__date__gte=programme.starts_on,
        starts_at__lte=timezone.now(),
    ).select_related("opportunity")
    return [
        (s.pk, f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M} {s.opportunity.title}")
        for s in sessions.order_by("-starts_at")[:200]
    ]


@login_required
def staff_passport(request: HttpRequest, number: str) -> HttpResponse:
    """A citizen's passport at the counter: the history to print, a stamp entered by hand."""
    passport = selectors.passport_for_staff(user=request.user, number=number)
    if passport is None:
        raise Http404
    programme = passport.programme
    form = CounterStampForm(request.POST or None, sessions=_counter_sessions(programme))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = Session.objects.select_related("opportunity__provider").filter(pk=data["session"]).first()
        try:
            _stamp, created = services.stamp_counter(
                actor=request.user,
                passport=passport,
                reason=data["reason"],
                session=session,
                title=data["title"],
                earned_on=data["earned_on"],
                credits=data["credits"],
            )
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("Stamp added.") if created else _("This stamp was already there."))
            return redirect("passport:staff_passport", passport.number)
    return render(
        request,
        "passport/staff/passport.html",
        {
            "passport": passport,
            "programme": programme,
            "stamps": list(selectors.stamps(passport)),
            "progress": selectors.progress(passport),
            "awards": list(selectors.awards_of(passport)),
            "form": form,
        },
    )


@login_required
def staff_history_pdf(request: HttpRequest, number: str) -> HttpResponse:
    passport = selectors.passport_for_staff(user=request.user, number=number)
    if passport is None:
        raise Http404
    return _pdf(documents.history(passport), f"learning-history-{passport.number}.pdf")


@login_required
def opportunity_programmes(request: HttpRequest, pk: int) -> HttpResponse:
    """A provider opts one of its opportunities into open programmes."""
    opportunity = get_object_or_404(LearningOpportunity.objects.select_related("provider"), pk=pk)
    if not can_manage_organization(user=request.user, organization=opportunity.provider):
        raise PermissionDenied(
            _("You cannot change the opportunities of %(org)s.") % {"org": opportunity.provider.name}
        )
    if request.method == "POST":
        programme = get_object_or_404(selectors.programmes_open(), pk=parse_id(request.POST.get("programme")))
        try:
            participation = services.participation_propose(
                actor=request.user, programme=programme, opportunity=opportunity
            )
        except RuleViolation as violation:
            messages.error(request, violation.message)
        else:
            messages.success(request, _("%(state)s.") % {"state": participation.get_state_display()})
        return redirect("passport:opportunity_programmes", opportunity.pk)
    states = dict(opportunity.passport_participations.values_list("programme_id", "state"))
    rows = [(programme, states.get(programme.pk)) for programme in selectors.programmes_open()]
    return render(request, "passport/staff/opportunity_programmes.html", {"opportunity": opportunity, "rows": rows})


@login_required
def session_stamps(request: HttpRequest, pk: int) -> HttpResponse:
    """Stamp passports at a session, on a phone: scan the card's QR code or type its number."""
    session = get_object_or_404(Session.objects.select_related("opportunity__provider"), pk=pk)
    opportunity = session.opportunity
    if not can_manage_organization(user=request.user, organization=opportunity.provider):
        raise PermissionDenied(_("You cannot record stamps for %(org)s.") % {"org": opportunity.provider.name})
    form = CardCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            stamp, created = services.stamp_scan(actor=request.user, session=session, text=form.cleaned_data["code"])
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            name = stamp.passport.holder_name
            if created:
                messages.success(request, _("Stamp added for %(name)s.") % {"name": name})
            else:
                messages.info(request, _("%(name)s already has this stamp.") % {"name": name})
            return redirect("passport:session_stamps", session.pk)
    return render(
        request,
        "passport/staff/session_stamps.html",
        {
            "session": session,
            "opportunity": opportunity,
            "form": form,
            "stamps": list(session.stamps.select_related("passport").order_by("-recorded_at")),
        },
    )


@login_required
def award_revoke(request: HttpRequest, credential_id) -> HttpResponse:
    award = get_object_or_404(Award.objects.select_related("municipality", "level"), credential_id=credential_id)
    _require_coordinator(request, award.municipality_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_revoke(actor=request.user, award=award, reason=form.cleaned_data["reason"])
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("The credential is revoked."))
            return redirect("passport:verify", award.credential_id)
    return _form_page(
        request,
        form,
        heading=_("Revoke %(title)s of %(name)s") % {"title": award.title, "name": award.recipient_name},
        intro=_("Verification of this credential will fail from now on, and its certificate will show it."),
        submit=_("Revoke"),
    )


@login_required
def certification_new(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _coordinated_municipality(request, code)
    form = CertificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        certification = services.certification_create(
            actor=request.user, municipality=municipality, **form.cleaned_data
        )
        return redirect("passport:certification_grant", certification.pk)
    return _form_page(request, form, heading=_("New certification: %(city)s") % {"city": municipality.name},
                      submit=_("Create the certification"))  # fmt: skip


@login_required
def certification_grant(request: HttpRequest, pk: int) -> HttpResponse:
    certification = get_object_or_404(Certification.objects.select_related("municipality"), pk=pk)
    _require_coordinator(request, certification.municipality_id)
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recipient = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if recipient is None:
            form.add_error("email", _("No account has this email address."))
        else:
            try:
                services.certification_grant(
                    actor=request.user, certification=certification, recipient=recipient, name=form.cleaned_data["name"]
                )
            except RuleViolation as violation:
                add_rule_violation(form, violation)
            else:
                messages.success(request, _("Certified: %(name)s.") % {"name": form.cleaned_data["name"]})
                return redirect("passport:certification_grant", certification.pk)
    return render(
        request,
        "passport/staff/certification_grant.html",
        {
            "certification": certification,
            "form": form,
            "awards": list(certification.awards.order_by("-issued_at")),
        },
    )
