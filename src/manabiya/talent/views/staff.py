"""The coordinators' and organizations' staff pages: approve registrations, keep the 出前講座 menu,
arrange requested lectures (ask a lecturer, decide, refuse, report), the year's figures, and
volunteer needs (post, confirm, invite, log).

A registrant's name is shown only to the readers they chose (`selectors.READERS`): coordinators see
what is not kept private, an organization's staff what is public; otherwise the registration's
number stands in for it.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manabiya.catalog.models import Venue
from manabiya.core.bounds import parse_id
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.outcome import act_and_tell
from manabiya.core.selectors import (
    can_manage_organization,
    coordinated_municipalities,
    is_coordinator_of,
    manageable_organizations,
)

from .. import selectors, services
from ..forms import ITEM_LABELS
from ..models import LectureRequest, LecturerInvitation, LectureTopic, TalentProfile, VolunteerAssignment, VolunteerNeed
from ..staff_forms import (
    DecideForm,
    DecisionForm,
    FiguresForm,
    InviteForm,
    LogForm,
    NeedForm,
    RefuseForm,
    ReportForm,
    TopicForm,
    hours_between,
)

# The order a request moves in: the index lists them so, the open ones first.
REQUEST_ORDER = [
    LectureRequest.State.SUBMITTED,
    LectureRequest.State.ASKED,
    LectureRequest.State.ACCEPTED,
    LectureRequest.State.DECIDED,
    LectureRequest.State.DELIVERED,
]


def _coordinators_only() -> PermissionDenied:
    return PermissionDenied(_("Only the municipality's coordinators can do this."))


def _require_coordinator(request: HttpRequest, municipality_id: int) -> None:
    if not is_coordinator_of(user=request.user, municipality_id=municipality_id):
        raise _coordinators_only()


def _names(profile_ids: Iterable[int], *, reader: str) -> dict[int, str]:
    profiles = TalentProfile.objects.filter(pk__in=list(profile_ids)).only("pk", "name", "visibility")
    return {profile.pk: selectors.shown_name(profile, reader=reader) for profile in profiles}


# --- the coordinators' start page and registrations ----------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    municipalities = list(coordinated_municipalities(user=request.user))
    if not municipalities:
        raise _coordinators_only()
    queue = selectors.coordinator_queue(user=request.user)
    reader = selectors.COORDINATORS
    by_state = defaultdict(list)
    for lecture in queue["requests"]:
        lecturer = selectors.shown_name(lecture.lecturer, reader=reader) if lecture.lecturer else ""
        by_state[lecture.state].append((lecture, lecturer))
    topics = (
        LectureTopic.objects.filter(municipality__in=municipalities)
        .select_related("provider", "talent", "municipality")
        .order_by("municipality__code", "-active", "title")
    )
    return render(
        request,
        "talent/staff/index.html",
        {
            "municipalities": municipalities,
            "profiles": [(profile, selectors.profile_view(profile, reader=reader)) for profile in queue["profiles"]],
            "requests": [(LectureRequest.State(state).label, by_state[state]) for state in REQUEST_ORDER],
            "any_requests": bool(by_state),
            "topics": [
                (topic, selectors.shown_name(topic.talent, reader=reader) if topic.talent else "") for topic in topics
            ],
        },
    )


@login_required
def profile_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A registration as the coordinators see it (never an item kept private), approve or refuse."""
    profile = get_object_or_404(
        TalentProfile.objects.select_related("municipality", "organization").prefetch_related(
            "categories", "audiences"
        ),
        pk=pk,
    )
    _require_coordinator(request, profile.municipality_id)
    waiting = profile.state == TalentProfile.State.PENDING or profile.renewal_requested_at is not None
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = request.POST.get("decision") == "approve"
        try:
            if not waiting:
                raise RuleViolation(_("This registration is not waiting for a decision."))
            services.profile_decide(
                actor=request.user, profile=profile, approve=approve, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(
                request,
                _("Approved; the registrant is emailed.") if approve else _("Refused; the registrant is emailed."),
            )
            return redirect("talent:staff_index")
    view = selectors.profile_view(profile, reader=selectors.COORDINATORS)
    return render(
        request,
        "talent/staff/profile_review.html",
        {
            "profile": profile,
            "view": view,
            "name": selectors.shown_name(profile, reader=selectors.COORDINATORS),
            "kept_private": [ITEM_LABELS[item] for item in TalentProfile.ITEMS if item not in view.shown],
            "waiting": waiting,
            "form": form,
        },
    )


# --- the 出前講座 menu ---------------------------------------------------------------------------


@login_required
def topic_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add or change an item of the menu: the offering organization's members or the coordinators."""
    topic = None
    if pk is not None:
        topic = get_object_or_404(LectureTopic.objects.select_related("provider", "talent"), pk=pk)
        if not can_manage_organization(user=request.user, organization=topic.provider):
            raise PermissionDenied(
                _("You cannot change the delivery lectures of %(org)s.") % {"org": topic.provider.name}
            )
    providers = manageable_organizations(user=request.user)
    if topic is None and not providers.exists():
        raise PermissionDenied(_("Only an organization's staff or the coordinators can add delivery lectures."))
    cities = set(providers.values_list("municipality_id", flat=True)) | ({topic.municipality_id} if topic else set())
    talents = TalentProfile.objects.filter(
        Q(pk__in=selectors.listed().filter(municipality_id__in=cities, is_instructor=True))
        | Q(pk=topic.talent_id if topic else None)
    ).order_by("municipality", "name_kana", "name")

    coordinated = set(coordinated_municipalities(user=request.user).values_list("pk", flat=True))

    def talent_label(profile: TalentProfile) -> str:
        reader = selectors.COORDINATORS if profile.municipality_id in coordinated else selectors.PUBLIC
        return selectors.shown_name(profile, reader=reader)

    form = TopicForm(
        request.POST or None,
        instance=topic,
        providers=providers,
        talents=talents,
        talent_label=talent_label,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.topic_save(actor=request.user, topic=topic, **form.cleaned_data)
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("The delivery lecture is saved."))
            return redirect("talent:topic_edit", saved.pk)
    return render(request, "talent/staff/topic_form.html", {"form": form, "topic": topic})


# --- delivery lecture requests -------------------------------------------------------------------


def _candidates(lecture: LectureRequest, invitations: list[LecturerInvitation]) -> list[tuple]:
    """(ranked, name shown, earlier invitation to this request or None), best first."""
    ranked = selectors.candidates_for_request(request=lecture)
    earlier = {}
    for invitation in reversed(invitations):  # newest last, so it wins
        earlier[invitation.talent_id] = invitation
    return [(r, r.candidate.name, earlier.get(r.candidate.profile_id)) for r in ranked]


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about a request and the step it waits for: ask a lecturer, decide, refuse, report."""
    lecture = get_object_or_404(
        LectureRequest.objects.select_related(
            "topic__provider", "topic__talent", "topic__category", "municipality", "lecturer", "opportunity",
            "requested_by", "decided_by",
        ),
        pk=pk,
    )  # fmt: skip
    _require_coordinator(request, lecture.municipality_id)
    State = LectureRequest.State
    dates = list(lecture.dates.all())
    warnings = services.request_warnings(lecture)
    given_by_provider = lecture.topic.talent_id is None
    steps = {
        "ask": lecture.state == State.SUBMITTED,
        "decide": lecture.state == State.ACCEPTED or (lecture.state == State.SUBMITTED and given_by_provider),
        "refuse": lecture.state in LectureRequest.OPEN_STATES,
        "report": lecture.state in (State.DECIDED, State.DELIVERED) and lecture.starts_at <= timezone.now(),
    }
    instructors = selectors.listed().filter(municipality_id=lecture.municipality_id, is_instructor=True)
    venues = Venue.objects.filter(municipality_id=lecture.municipality_id).order_by("name_kana", "name")

    def make(action, data=None):
        if action == "ask":
            return InviteForm(data, prefix="ask", talents=instructors)
        if action == "decide":
            return DecideForm(data, prefix="decide", dates=dates, venues=venues, warnings=bool(warnings))
        if action == "refuse":
            return RefuseForm(data, prefix="refuse")
        initial = {"attendance": lecture.attendance or lecture.expected_attendance, "note": lecture.report_note}
        return ReportForm(data, prefix="report", initial=initial)

    forms = {action: make(action) for action in steps}
    action = request.POST.get("action") if request.method == "POST" else None
    if action in forms:
        form = forms[action] = make(action, request.POST)
        if form.is_valid():
            try:
                done = _request_step(request, lecture, action, form.cleaned_data)
            except RuleViolation as violation:
                add_rule_violation(form, violation)
            else:
                messages.success(request, done)
                return redirect("talent:request_detail", lecture.pk)
    invitations = list(lecture.invitations.select_related("talent", "asked_by"))
    names = _names({i.talent_id for i in invitations} | {lecture.lecturer_id} - {None}, reader=selectors.COORDINATORS)
    return render(
        request,
        "talent/staff/request_detail.html",
        {
            "lecture": lecture,
            "dates": dates,
            "warnings": warnings,
            "steps": steps,
            "forms": forms,
            "given_by_provider": given_by_provider,
            "invitations": [(invitation, names.get(invitation.talent_id, "")) for invitation in invitations],
            "open_invitation": next((i for i in invitations if i.state == LecturerInvitation.State.ASKED), None),
            "lecturer": names.get(lecture.lecturer_id, "") if lecture.lecturer_id else "",
            "candidates": _candidates(lecture, invitations) if steps["ask"] else [],
        },
    )


def _request_step(request: HttpRequest, lecture: LectureRequest, action: str, data: dict) -> str:
    """Run one step through its service; the message to show when it went through."""
    actor = request.user
    if action == "ask":
        services.lecturer_invite(actor=actor, request=lecture, talent=data["talent"], message=data["message"])
        return _("The lecturer is asked by email; their answer shows here.")
    if action == "decide":
        services.request_decide(
            actor=actor,
            request=lecture,
            date_rank=data["date_rank"],
            listed_publicly=data["listed_publicly"],
            venue=data["venue"],
            note=data["note"],
            warnings_seen=data.get("warnings_seen", False),
        )
        return _("Decided: the decision notice (決定通知) is emailed.")
    if action == "refuse":
        services.request_refuse(actor=actor, request=lecture, reason=data["reason"])
        return _("The group is told the lecture cannot be arranged.")
    services.lecture_report(actor=actor, request=lecture, attendance=data["attendance"], note=data["note"])
    return _("The report is saved.")


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(LecturerInvitation.objects.select_related("request"), pk=pk)
    _require_coordinator(request, invitation.request.municipality_id)
    act_and_tell(
        request,
        lambda: services.invitation_withdraw(actor=request.user, invitation=invitation),
        done=_("The invitation is withdrawn: you can ask another lecturer."),
    )
    return redirect("talent:request_detail", invitation.request_id)


# --- figures -------------------------------------------------------------------------------------


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The year's figures by month (April to March), as a page or as CSV (?format=csv)."""
    municipalities = list(coordinated_municipalities(user=request.user).order_by("code"))
    if not municipalities:
        raise _coordinators_only()
    year = selectors.fiscal_year_of(timezone.localdate())
    municipality = municipalities[0]
    form = FiguresForm(request.GET or None, municipalities=municipalities)
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        chosen = form.cleaned_data.get("municipality")
        municipality = next((m for m in municipalities if m.pk == chosen), municipality)
    if not form.is_bound or form.is_valid():
        form = FiguresForm(municipalities=municipalities, initial={"year": year, "municipality": municipality.pk})
    data = selectors.figures(municipality_id=municipality.pk, fiscal_year=year)
    if request.GET.get("format") == "csv":
        response = HttpResponse(_figures_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="talent-figures-{municipality.code}-{year}.csv"'
        return response
    return render(
        request,
        "talent/staff/figures.html",
        {
            "form": form,
            "figures": data,
            "municipality": municipality,
            "year": year,
            "csv_query": f"year={year}&municipality={municipality.pk}&format=csv",
        },
    )


def _figures_csv(data: selectors.YearFigures) -> bytes:
    out = io.StringIO()
    # The BOM makes Excel, which Japanese offices open CSV files with, read UTF-8.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [_("Month"), _("Lectures held"), _("Participants"), _("Volunteer activities"), _("Person-days"), _("Hours")]
    )
    for month in data.months:
        writer.writerow([f"{month.month:%Y-%m}", month.lectures, month.participants, month.activities,
                         month.person_days, f"{month.hours:g}"])  # fmt: skip
    total = data.totals
    writer.writerow([_("Total"), total.lectures, total.participants, total.activities, total.person_days,
                     f"{total.hours:g}"])  # fmt: skip
    writer.writerow([_("Registered instructors"), data.instructors])
    writer.writerow([_("Registered volunteers"), data.volunteers])
    return out.getvalue().encode("utf-8")


# --- volunteer needs -----------------------------------------------------------------------------


@login_required
def needs(request: HttpRequest) -> HttpResponse:
    organizations = manageable_organizations(user=request.user)
    if not organizations.exists():
        raise PermissionDenied(_("Only an organization's staff or the coordinators can manage volunteer needs."))
    return render(request, "talent/staff/needs.html", {"needs": selectors.needs_managed_by(user=request.user)})


@login_required
def need_new(request: HttpRequest) -> HttpResponse:
    organizations = manageable_organizations(user=request.user)
    if not organizations.exists():
        raise PermissionDenied(_("Only an organization's staff or the coordinators can post volunteer needs."))
    form = NeedForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_post(actor=request.user, **form.cleaned_data)
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("The need is posted: volunteers can apply from its page."))
            return redirect("talent:need_manage", need.pk)
    return render(request, "talent/staff/need_form.html", {"form": form})


def _posted_id(request: HttpRequest, name: str) -> int | None:
    return parse_id(request.POST.get(name))


@login_required
def need_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """One need: its volunteers and their states, confirm, invite, close or cancel, log the activity."""
    need = get_object_or_404(VolunteerNeed.objects.select_related("organization", "municipality"), pk=pk)
    if not can_manage_organization(user=request.user, organization=need.organization):
        raise PermissionDenied(_("Only %(org)s and the coordinators can do this.") % {"org": need.organization.name})
    coordinating = is_coordinator_of(user=request.user, municipality_id=need.municipality_id)
    reader = selectors.COORDINATORS if coordinating else selectors.PUBLIC
    assignments = list(need.assignments.select_related("talent"))
    confirmed = [
        (a, selectors.shown_name(a.talent, reader=reader))
        for a in assignments
        if a.state == VolunteerAssignment.State.CONFIRMED
    ]
    started = need.starts_at <= timezone.now()
    log_form = None
    if started and confirmed:
        log_form = LogForm(
            request.POST if request.POST.get("action") == "log" else None,
            confirmed=confirmed,
            default_hours=hours_between(need.starts_at, need.ends_at),
        )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "log" and log_form is not None:
            if log_form.is_valid():
                try:
                    services.activity_log(actor=request.user, need=need, entries=log_form.entries())
                except RuleViolation as violation:
                    add_rule_violation(log_form, violation)
                else:
                    messages.success(request, _("The activity is logged."))
                    return redirect("talent:need_manage", need.pk)
        else:
            _need_step(request, need, action, assignments)
            return redirect("talent:need_manage", need.pk)
    looking = need.state == VolunteerNeed.State.OPEN and not started
    candidates = []
    if looking and coordinating:
        ranked = selectors.candidates_for_need(need=need)
        candidates = [(r, r.candidate.name) for r in ranked]
    return render(
        request,
        "talent/staff/need_manage.html",
        {
            "need": need,
            "assignments": [(a, selectors.shown_name(a.talent, reader=reader)) for a in assignments],
            "confirmed_count": len(confirmed),
            "looking": looking,
            "started": started,
            "coordinating": coordinating,
            "candidates": candidates,
            "log_form": log_form,
        },
    )


def _need_step(request: HttpRequest, need: VolunteerNeed, action: str | None, assignments) -> None:
    """The small steps of a need, each told as a message on the page it comes back to."""
    actor = request.user
    if action == "confirm":
        assignment = next((a for a in assignments if a.pk == _posted_id(request, "assignment")), None)
        if assignment is None:
            messages.error(request, _("That volunteer is not on this activity."))
            return
        act_and_tell(
            request,
            lambda: services.volunteer_confirm(actor=actor, assignment=assignment),
            done=_("Confirmed; the volunteer is emailed."),
        )
    elif action == "invite":
        talent = TalentProfile.objects.filter(pk=_posted_id(request, "talent")).first()
        if talent is None:
            messages.error(request, _("Choose a volunteer from the list."))
            return
        act_and_tell(
            request,
            lambda: services.volunteer_invite(actor=actor, need=need, talent=talent),
            done=_("Invited; the volunteer is emailed and answers on their page."),
        )
    elif action in ("close", "cancel"):
        act_and_tell(
            request,
            lambda: services.need_close(actor=actor, need=need, cancel=action == "cancel"),
            done=_("The need is cancelled.") if action == "cancel" else _("The need is closed."),
        )
    else:
        messages.error(request, _("Nothing was changed."))
