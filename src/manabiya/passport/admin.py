"""The passport in the admin, for coordinators to look things up: read-only, as every change
(stamps, awards, revocations) goes through the services that lock, sign and audit it."""

from django.contrib import admin

from manabiya.core.admin_scoping import ReadOnlyInline, ServiceWrittenAdmin

from .models import Award, Level, Passport, Programme, Stamp


class LevelInline(ReadOnlyInline):
    model = Level
    fields = ("name", "title", "credits", "min_categories")
    readonly_fields = fields


class StampInline(ReadOnlyInline):
    model = Stamp
    fields = ("earned_on", "title", "provider_name", "credits", "source", "recorded_by", "reason")
    readonly_fields = fields


@admin.register(Programme)
class ProgrammeAdmin(ServiceWrittenAdmin):
    municipality_path = "municipality"
    list_display = ("name", "municipality", "starts_on", "ends_on", "credit_rule", "is_open")
    list_select_related = ("municipality",)
    inlines = (LevelInline,)
    fields = (
        "municipality",
        "name",
        "description",
        "starts_on",
        "ends_on",
        "credit_rule",
        "credits_per_unit",
        "counts_volunteering",
        "is_open",
    )
    readonly_fields = fields


@admin.register(Passport)
class PassportAdmin(ServiceWrittenAdmin):
    municipality_path = "programme__municipality"
    list_display = ("number", "holder_name", "programme", "created_at")
    list_select_related = ("programme",)
    search_fields = ("number", "holder_name", "holder_kana")
    inlines = (StampInline,)
    fields = ("programme", "number", "holder_name", "holder_kana", "user", "language", "created_at")
    readonly_fields = fields


@admin.register(Award)
class AwardAdmin(ServiceWrittenAdmin):
    municipality_path = "municipality"
    list_display = ("recipient_name", "level", "certification", "issued_at", "revoked_at")
    list_select_related = ("level", "certification")
    search_fields = ("recipient_name", "credential_id")
    fields = (
        "credential_id", "municipality", "recipient_name", "level", "certification", "credits", "issued_at",
        "issued_by", "revoked_at", "revoked_by", "revocation_reason", "signed_credential",
    )  # fmt: skip
    readonly_fields = fields
