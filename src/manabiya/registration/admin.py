"""Applications and lottery records in the admin, for coordinators to look things up: read-only.

Everything that changes an application (applying, cancelling, promoting, drawing, checking in)
goes through the services, which hold the capacity lock and send the emails; an edit here would
bypass both, so not even a superuser changes these rows in the admin.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from manabiya.core.admin_scoping import ReadOnlyInline, ServiceWrittenAdmin

from .models import Application, Attendance, LotteryDraw, Participant


class ReadOnlyAdmin(ServiceWrittenAdmin):
    municipality_path = "opportunity__municipality"


class ParticipantInline(ReadOnlyInline):
    model = Participant
    fields = ("position", "name", "age")
    readonly_fields = fields


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ("session", "people", "method", "recorded_at", "recorded_by")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("name", "opportunity", "session", "status", "waiting_rank", "party_size", "channel", "created_at")
    list_filter = ("status", "channel", ("opportunity__municipality", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("opportunity", "session")
    search_fields = ("name", "name_kana", "email", "checkin_code", "opportunity__title")
    date_hierarchy = "created_at"
    inlines = (ParticipantInline, AttendanceInline)
    fields = (
        "opportunity", "session", "status", "waiting_rank", "offer_expires_at", "name", "name_kana", "email",
        "phone", "language", "party_size", "childcare_ages", "childcare_count", "answers", "first_time", "channel",
        "entered_by", "user", "checkin_code", "created_at", "updated_at",
    )  # fmt: skip
    readonly_fields = fields


@admin.register(LotteryDraw)
class LotteryDrawAdmin(ReadOnlyAdmin):
    list_display = ("opportunity", "drawn_at", "algorithm", "seats", "entry_count", "winner_count", "drawn_by")
    list_select_related = ("opportunity", "drawn_by")
    search_fields = ("opportunity__title", "seed")
    fields = (
        "opportunity", "algorithm", "seed", "seats", "childcare_places", "first_timers_first", "entries",
        "drawn_order", "winners", "drawn_at", "drawn_by",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("entries"))
    def entry_count(self, obj: LotteryDraw) -> int:
        return len(obj.entries)

    @admin.display(description=_("winners"))
    def winner_count(self, obj: LotteryDraw) -> int:
        return len(obj.winners)
