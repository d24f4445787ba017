"""The talent bank in the admin: coordinators look registrations, requests and volunteer activity up
here; the services write them (approval, the request workflow and its emails), so the admin only reads."""

from django.contrib import admin

from manabiya.core.admin_scoping import ServiceWrittenAdmin

from .models import LectureRequest, LectureTopic, TalentProfile, VolunteerNeed


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
