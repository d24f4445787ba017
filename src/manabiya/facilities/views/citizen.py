"""A citizen's side of facility reservation: register to book, book with the fee shown first,
see and cancel bookings."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manabiya.core.errors import RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.models import Municipality
from manabiya.core.outcome import act_and_tell

from .. import selectors, services
from ..forms import BookerForm, BookingForm, WishForm
from ..models import Booker, LotteryRound, Room


@login_required
def register(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, code=code)
    form = BookerForm(request.POST or None, initial={"email": request.user.email, "kind": Booker.Kind.INDIVIDUAL})
    if request.method == "POST" and form.is_valid():
        try:
            services.booker_register(user=request.user, municipality=municipality, **form.cleaned_data)
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("Thank you. The facility's staff will check your registration."))
            return redirect("facilities:mine")
    return render(request, "facilities/register.html", {"form": form, "municipality": municipality})


def unit_choices(facility) -> list[tuple[int, str]]:
    return [(i, facility.unit_label(i)) for i in range(len(facility.units()))]


@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """The booking form; the first POST shows the fee, the second (confirm) books."""
    room = get_object_or_404(Room.objects.select_related("facility__venue", "facility__municipality"), pk=pk)
    facility = room.facility
    bookers = [b for b in selectors.bookers_of(user=request.user) if b.municipality_id == facility.municipality_id]
    usable = [(b.pk, b.name) for b in bookers if b.state == Booker.State.APPROVED]
    if not usable:
        return render(request, "facilities/not_registered.html", {"facility": facility, "bookers": bookers})
    initial = {
        "date": request.GET.get("date"),
        "first_unit": request.GET.get("unit"),
        "last_unit": request.GET.get("unit"),
    }
    form = BookingForm(request.POST or None, units=unit_choices(facility), bookers=usable, initial=initial)
    fee = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        booker = next(b for b in bookers if b.pk == data.pop("booker"))
        if request.POST.get("confirm") != "1":
            fee = services.booking_fee(room, booker, data["first_unit"], data["last_unit"])
        else:
            try:
                booking = services.booking_create(actor=request.user, booker=booker, room=room, **data)
            except RuleViolation as violation:
                add_rule_violation(form, violation)
            else:
                messages.success(request, _("Booked: %(room)s, %(date)s.") % {"room": room, "date": booking.date})
                return redirect("facilities:mine")
    return render(request, "facilities/book.html", {"room": room, "facility": facility, "form": form, "fee": fee})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "facilities/mine.html",
        {
            "bookings": list(selectors.bookings_of(user=request.user).order_by("-date", "first_unit")[:100]),
            "bookers": list(selectors.bookers_of(user=request.user)),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_of(user=request.user, booking_id=pk)
    if booking is None:
        raise Http404
    act_and_tell(
        request,
        lambda: services.booking_cancel(actor=request.user, booking=booking),
        done=_("Your booking is cancelled."),
    )
    return redirect("facilities:mine")


@login_required
def lottery(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter ranked wishes (第1〜第3希望) in a month's lottery while it takes them."""
    lottery = get_object_or_404(LotteryRound.objects.select_related("facility__venue", "facility__municipality"), pk=pk)
    facility = lottery.facility
    bookers = [b for b in selectors.bookers_of(user=request.user) if b.municipality_id == facility.municipality_id]
    usable = [(b.pk, b.name) for b in bookers if b.state == Booker.State.APPROVED]
    if not usable:
        return render(request, "facilities/not_registered.html", {"facility": facility, "bookers": bookers})
    rooms = [(room.pk, room.name) for room in facility.rooms.all()]
    form = WishForm(request.POST or None, units=unit_choices(facility), bookers=usable, rooms=rooms)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        booker = next(b for b in bookers if b.pk == data.pop("booker"))
        room = facility.rooms.get(pk=data.pop("room"))
        try:
            services.wish_submit(user=request.user, booker=booker, lottery=lottery, room=room, **data)
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            messages.success(request, _("Your wish is entered. The result comes after the draw."))
            return redirect("facilities:lottery", lottery.pk)
    return render(
        request,
        "facilities/lottery.html",
        {
            "lottery": lottery,
            "facility": facility,
            "form": form,
            "wishes": list(selectors.wishes_of(user=request.user, lottery=lottery)),
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A lottery winner takes the booking up."""
    booking = selectors.booking_of(user=request.user, booking_id=pk)
    if booking is None:
        raise Http404
    act_and_tell(
        request,
        lambda: services.won_booking_confirm(actor=request.user, booking=booking),
        done=_("Your booking is confirmed."),
    )
    return redirect("facilities:mine")


@login_required
@require_POST
def watch(request: HttpRequest, pk: int) -> HttpResponse:
    """Tell me by email if this taken time slot frees up."""
    room = get_object_or_404(Room.objects.select_related("facility"), pk=pk)
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
        unit = int(request.POST.get("unit", ""))
        services.watch_add(user=request.user, room=room, date=day, unit=unit)
    except (ValueError, RuleViolation):
        messages.error(request, _("Choose a time slot still to come."))
    else:
        messages.success(request, _("We will email you if it frees up."))
    return redirect(reverse("facilities:availability", args=[room.pk]) + f"?week={request.POST.get('date', '')}")


@login_required
@require_POST
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the registration again, with the same details, for the next fiscal year."""
    booker = get_object_or_404(Booker, pk=pk, user=request.user)
    act_and_tell(
        request,
        lambda: services.booker_renew(user=request.user, booker=booker),
        done=_("Thank you. The facility's staff will check your registration."),
    )
    return redirect("facilities:mine")
