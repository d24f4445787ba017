"""Facilities for everyone, no login: the list, a facility's rooms, fees and rules, and each
room's availability (空き状況) by week or month."""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from manabiya.core.bounds import parse_date

from .. import reports, selectors
from ..models import Facility, Room


def facility_list(request: HttpRequest) -> HttpResponse:
    facilities = selectors.facilities_public(municipality_code=request.GET.get("municipality", ""))
    return render(request, "facilities/list.html", {"facilities": list(facilities)})


def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(
        Facility.objects.select_related("venue", "municipality").prefetch_related("rooms__barrier_free"), pk=pk
    )
    units = [facility.unit_label(i) for i in range(len(facility.units()))]
    return render(
        request,
        "facilities/detail.html",
        {"facility": facility, "units": units, "lotteries": list(selectors.lotteries_open(facility=facility))},
    )


def availability(request: HttpRequest, pk: int) -> HttpResponse:
    """One room's units by day: a week (the default, from ?week=YYYY-MM-DD) or a month (?month=YYYY-MM).
    A date that is not one, or lies out of core.bounds' range, shows this week."""
    room = get_object_or_404(Room.objects.select_related("facility__venue"), pk=pk)
    today = timezone.localdate()
    month = parse_date(request.GET.get("month"), "%Y-%m")
    if month is not None:
        days = selectors.month_of(month)
        previous = {"month": (days[0] - dt.timedelta(days=1)).strftime("%Y-%m")}
        following = {"month": (days[-1] + dt.timedelta(days=1)).strftime("%Y-%m")}
        view = "month"
    else:
        days = selectors.week_of(parse_date(request.GET.get("week")) or today)
        previous = {"week": (days[0] - dt.timedelta(days=7)).isoformat()}
        following = {"week": (days[0] + dt.timedelta(days=7)).isoformat()}
        view = "week"
    return render(
        request,
        "facilities/availability.html",
        {
            "room": room,
            "facility": room.facility,
            "grid": selectors.availability(room=room, days=days, today=today),
            "view": view,
            "previous": previous,
            "following": following,
            "this_month": days[0].strftime("%Y-%m"),
            "this_week": days[0].isoformat(),
        },
    )


def facility_month(request: HttpRequest, pk: int) -> HttpResponse:
    """Every room of the facility over a month: how many units each has free each day."""
    facility = get_object_or_404(Facility.objects.select_related("venue"), pk=pk)
    month = parse_date(request.GET.get("month"), "%Y-%m") or timezone.localdate().replace(day=1)
    grid = selectors.facility_month(facility=facility, month=month)
    days = selectors.month_of(month)
    return render(
        request,
        "facilities/month.html",
        {
            "facility": facility,
            "grid": grid,
            "month": month,
            "previous": (days[0] - dt.timedelta(days=1)).strftime("%Y-%m"),
            "following": (days[-1] + dt.timedelta(days=1)).strftime("%Y-%m"),
        },
    )


def open_data(request: HttpRequest) -> HttpResponse:
    """The facilities as open data, in the 公共施設一覧 format; ?municipality=CODE for one city."""
    facilities = selectors.facilities_public(municipality_code=request.GET.get("municipality", "")).prefetch_related(
        "rooms__barrier_free", "closed_days"
    )
    response = HttpResponse(
        reports.open_data_csv(facilities.select_related("operator"), site_url=settings.SITE_URL),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="public-facilities.csv"'
    return response
