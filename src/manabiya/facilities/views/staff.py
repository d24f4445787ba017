"""The facility's staff: approve registrations (with likely duplicates flagged), the day's sheet
with approvals, payments, cancellations and blocks, and booking for a caller at the counter."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manabiya.core.bounds import parse_date, parse_id
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.forms import add_rule_violation

from .. import reports, selectors, services, tasks
from ..forms import BlockForm, BookingForm, DecisionForm, LotteryOpenForm
from ..models import Block, Booker, Booking, Facility, LotteryRound
from .citizen import unit_choices


def _managed(request: HttpRequest, pk: int) -> Facility:
    facility = get_object_or_404(Facility.objects.select_related("venue", "municipality"), pk=pk)
    if not services.can_manage_facility(user=request.user, facility=facility):
        raise PermissionDenied(_("Only the facility's staff can do this."))
    return facility


@login_required
def index(request: HttpRequest) -> HttpResponse:
    facilities = list(selectors.facilities_managed(user=request.user))
    if not facilities:
        raise PermissionDenied(_("Only the facility's staff can do this."))
    pending = Booker.objects.filter(
        municipality__in={f.municipality_id for f in facilities}, state=Booker.State.PENDING
    ).select_related("municipality", "renews")
    return render(
        request,
        "facilities/staff/index.html",
        {
            "facilities": facilities,
            "pending": [(booker, selectors.likely_duplicates(booker)) for booker in pending],
            "today": timezone.localdate().isoformat(),
        },
    )


@login_required
@require_POST
def booker_decide(request: HttpRequest, pk: int) -> HttpResponse:
    booker = get_object_or_404(Booker, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.booker_decide(
            actor=request.user,
            booker=booker,
            approve=request.POST.get("decision") == "approve",
            reason=form.cleaned_data.get("reason", ""),
        )
    except RuleViolation as violation:
        messages.error(request, violation.message)
    return redirect("facilities:staff_index")


def _day(request: HttpRequest) -> dt.date:
    return parse_date(request.GET.get("date") or request.POST.get("date")) or timezone.localdate()


@login_required
def day_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The counter's page for one day: every room's bookings and blocks, a block, a booking for a caller."""
    facility = _managed(request, pk)
    day = _day(request)
    rooms = [(room.pk, room.name) for room in facility.rooms.all()]
    bookers = Booker.objects.filter(municipality=facility.municipality, state=Booker.State.APPROVED)
    block_form = BlockForm(prefix="block", rooms=rooms, units=unit_choices(facility))
    booker_choices = [(b.pk, f"{b.name} ({b.phone})") for b in bookers.order_by("name_kana", "name")]
    booking_form = BookingForm(
        prefix="booking", units=unit_choices(facility), bookers=booker_choices, rooms=rooms, initial={"date": day}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "block":
                block_form = BlockForm(request.POST, prefix="block", rooms=rooms, units=unit_choices(facility))
                if block_form.is_valid():
                    data = block_form.cleaned_data
                    services.block_create(
                        actor=request.user, room=facility.rooms.get(pk=data.pop("room")), date=day, **data
                    )
                    return redirect(reverse("facilities:day_sheet", args=[facility.pk]) + f"?date={day}")
            elif action == "book":
                booking_form = BookingForm(
                    request.POST, prefix="booking", units=unit_choices(facility), bookers=booker_choices, rooms=rooms
                )
                if booking_form.is_valid():
                    data = booking_form.cleaned_data
                    room = facility.rooms.get(pk=data.pop("room"))
                    booker = bookers.get(pk=data.pop("booker"))
                    booking = services.booking_create(actor=request.user, booker=booker, room=room, **data)
                    messages.success(
                        request, _("Booked for %(name)s: %(fee)s yen.") % {"name": booker.name, "fee": booking.fee}
                    )
                    return redirect(reverse("facilities:day_sheet", args=[facility.pk]) + f"?date={booking.date}")
        except RuleViolation as violation:
            add_rule_violation(block_form if action == "block" else booking_form, violation)
    return render(
        request,
        "facilities/staff/day.html",
        {
            "facility": facility,
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "following": day + dt.timedelta(days=1),
            "sheet": selectors.day_sheet(facility=facility, day=day),
            "block_form": block_form,
            "booking_form": booking_form,
        },
    )


@login_required
@require_POST
def booking_action(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("room__facility", "booker"), pk=pk)
    _managed(request, booking.room.facility_id)
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.booking_approve(actor=request.user, booking=booking)
        elif action == "paid":
            services.booking_mark_paid(actor=request.user, booking=booking)
        elif action == "cancel":
            services.booking_cancel(actor=request.user, booking=booking, reason=request.POST.get("reason", ""))
    except RuleViolation as violation:
        messages.error(request, violation.message)
    return redirect(reverse("facilities:day_sheet", args=[booking.room.facility_id]) + f"?date={booking.date}")


@login_required
@require_POST
def block_remove(request: HttpRequest, pk: int) -> HttpResponse:
    block = get_object_or_404(Block.objects.select_related("room__facility"), pk=pk)
    services.block_remove(actor=request.user, block=block)
    return redirect(reverse("facilities:day_sheet", args=[block.room.facility_id]) + f"?date={block.date}")


@login_required
def lotteries(request: HttpRequest, pk: int) -> HttpResponse:
    """A facility's monthly lotteries: open the next, draw a closed one (a background task), read the records."""
    facility = _managed(request, pk)
    form = LotteryOpenForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "draw":
            lottery = get_object_or_404(LotteryRound, pk=parse_id(request.POST.get("lottery")), facility=facility)
            if lottery.drawn_at is None and timezone.localdate() > lottery.closes_on:
                tasks.lottery_draw_task.enqueue(lottery_id=lottery.pk, actor_id=request.user.pk)
                messages.success(request, _("The draw is running; its result appears here shortly."))
            else:
                messages.error(request, _("The lottery is drawn after its wishes close."))
            return redirect("facilities:staff_lotteries", facility.pk)
        if form.is_valid():
            try:
                services.lottery_round_open(actor=request.user, facility=facility, month=form.cleaned_data["month"])
            except RuleViolation as violation:
                add_rule_violation(form, violation)
            else:
                return redirect("facilities:staff_lotteries", facility.pk)
    rounds = facility.lottery_rounds.annotate(wish_count=Count("wishes")).order_by("-month")[:24]
    return render(request, "facilities/staff/lotteries.html", {"facility": facility, "form": form, "rounds": rounds})


@login_required
def occupancy(request: HttpRequest, pk: int) -> HttpResponse:
    """The month's occupancy (稼働率) by room and by unit."""
    facility = _managed(request, pk)
    month = parse_date(request.GET.get("month"), "%Y-%m") or timezone.localdate().replace(day=1)
    return render(
        request, "facilities/staff/occupancy.html", {"figures": reports.occupancy(facility=facility, month=month)}
    )
