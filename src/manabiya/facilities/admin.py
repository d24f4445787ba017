"""Facilities in the admin: coordinators set up their municipality's buildings, rooms, fees, rules
and closed days here; registrations and bookings they only read, as the services write those."""

from django import forms
from django.contrib import admin

from manabiya.core.admin_scoping import ALL_ACTIONS, MunicipalityScopedAdmin, ServiceWrittenAdmin

from .models import Booker, Booking, ClosedDay, Facility, LotteryRound, Room


@admin.register(Facility)
class FacilityAdmin(MunicipalityScopedAdmin):
    coordinator_actions = ALL_ACTIONS
    list_display = ("venue", "municipality", "unit_scheme", "operator")
    list_select_related = ("venue", "municipality", "operator")
    fields = (
        "municipality", "venue", "operator", "description", "unit_scheme", "opens_at", "closes_at",
        "closed_weekdays", "group_days_ahead", "resident_days_ahead", "others_days_ahead", "min_notice_days",
        "cancel_days_before", "monthly_cap",
    )  # fmt: skip


@admin.register(Room)
class RoomAdmin(MunicipalityScopedAdmin):
    coordinator_actions = ALL_ACTIONS
    municipality_path = "facility__municipality"
    list_display = ("name", "facility", "capacity", "needs_approval", "fee_resident", "fee_group")
    list_select_related = ("facility__venue",)
    fields = (
        "facility", "name", "capacity", "equipment", "barrier_free", "photo", "needs_approval", "fee_resident",
        "fee_non_resident", "fee_group", "fee_commercial", "order",
    )  # fmt: skip

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "barrier_free":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ClosedDay)
class ClosedDayAdmin(MunicipalityScopedAdmin):
    coordinator_actions = ALL_ACTIONS
    municipality_path = "facility__municipality"
    list_display = ("date", "facility", "reason")
    list_select_related = ("facility__venue",)


@admin.register(Booker)
class BookerAdmin(ServiceWrittenAdmin):
    list_display = ("name", "kind", "representative", "state", "valid_until", "municipality")
    list_filter = ("state", "kind")
    search_fields = ("name", "name_kana", "representative", "phone", "email")


@admin.register(Booking)
class BookingAdmin(ServiceWrittenAdmin):
    municipality_path = "room__facility__municipality"
    list_display = ("date", "room", "booker", "state", "fee", "paid_at")
    list_select_related = ("room__facility__venue", "booker")
    list_filter = ("state",)
    date_hierarchy = "date"


@admin.register(LotteryRound)
class LotteryRoundAdmin(ServiceWrittenAdmin):
    municipality_path = "facility__municipality"
    list_display = ("facility", "month", "opens_on", "closes_on", "draw_on", "drawn_at", "algorithm", "seed")
    list_select_related = ("facility__venue",)
