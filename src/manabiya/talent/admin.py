"""The talent bank in the admin: coordinators look registrations, requests and volunteer activity up
here; the services write them (approval, the request workflow and its emails), so the admin only reads.

A registrant chooses who sees each item of their registration; the admin reads registrations as the
coordinators' own page does (`selectors.profile_view` for COORDINATORS), through `TalentProfilePrivacy`.
"""

from django.contrib import admin

from manabiya.core.admin_scoping import FieldPrivacy, ServiceWrittenAdmin, field_privacy

from . import selectors
from .models import LectureRequest, LectureTopic, TalentProfile, VolunteerNeed


class TalentProfilePrivacy(FieldPrivacy):
    """What the coordinators' page shows of a registration, and superusers see no more."""

    fields = frozenset(selectors.ITEM_OF_FIELD)

    def hidden_fields(self, obj: TalentProfile) -> frozenset[str]:
        return selectors.hidden_fields(obj, reader=selectors.COORDINATORS)

    def readable_q(self, field_name: str):
        return selectors.readable_by(field_name, reader=selectors.COORDINATORS)

    def label(self, obj: TalentProfile) -> str:
        return selectors.shown_name(obj, reader=selectors.COORDINATORS)

    def placeholder(self, obj: TalentProfile, field):
        if field.name == "name":
            return self.label(obj)
        return "" if field.name == "name_kana" else super().placeholder(obj, field)


field_privacy.register(TalentProfile, TalentProfilePrivacy())


@admin.register(TalentProfile)
class TalentProfileAdmin(ServiceWrittenAdmin):
    list_display = ("name", "is_instructor", "is_volunteer", "state", "valid_until", "municipality")
    list_filter = ("state", "is_instructor", "is_volunteer")
    search_fields = ("name", "name_kana", "keywords")


@admin.register(LectureTopic)
class LectureTopicAdmin(ServiceWrittenAdmin):
    list_display = ("title", "provider", "duration_minutes", "min_group_size", "active", "municipality")
    list_select_related = ("provider", "municipality")
    list_filter = ("active",)


@admin.register(LectureRequest)
class LectureRequestAdmin(ServiceWrittenAdmin):
    list_display = ("topic", "group_name", "state", "starts_at", "attendance", "municipality")
    list_select_related = ("topic", "municipality")
    list_filter = ("state",)
    date_hierarchy = "created_at"


@admin.register(VolunteerNeed)
class VolunteerNeedAdmin(ServiceWrittenAdmin):
    list_display = ("title", "organization", "kind", "starts_at", "people_needed", "state", "municipality")
    list_select_related = ("organization", "municipality")
    list_filter = ("state", "kind")
