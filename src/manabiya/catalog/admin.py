"""Admin for venues, opportunities and the region-wide reference data (see `core.admin_scoping`)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from manabiya.core.admin_scoping import (
    ALL_ACTIONS,
    READ_ONLY,
    MunicipalityScopedAdmin,
    ReadOnlyInline,
    ReferenceDataAdmin,
)

from .models import AccessibilityFeature, Audience, Category, LearningOpportunity, Session, Status, Venue


@admin.register(Venue)
class VenueAdmin(MunicipalityScopedAdmin):
    coordinator_actions = ALL_ACTIONS
    list_display = ("name", "address", "municipality")
    list_filter = (("municipality", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("municipality",)
    search_fields = ("name", "name_kana", "address")
    fields = (
        "municipality", "name", "name_kana", "address", "address_detail", "latitude", "longitude", "access",
        "parking", "barrier_free",
    )  # fmt: skip

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "barrier_free":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SessionInline(ReadOnlyInline):
    model = Session
    fk_name = "opportunity"
    fields = ("starts_at", "ends_at", "venue", "note")
    readonly_fields = fields


# Where an opportunity stands and whose it is: these change only through the catalogue services,
# which check the workflow's rules and record each step.
WORKFLOW_FIELDS = (
    "municipality", "provider", "status", "status_changed_at", "published_at", "first_starts_at",
    "last_ends_at", "source_key", "created_at", "updated_at",
)  # fmt: skip


@admin.register(LearningOpportunity)
class LearningOpportunityAdmin(MunicipalityScopedAdmin):
    """Read-only for coordinators, who review on the coordination pages and edit on the provider
    pages; a superuser may correct the content but never the status or the owner."""

    coordinator_actions = READ_ONLY
    list_display = ("title", "provider", "municipality", "status", "first_starts_at", "review_link")
    list_filter = ("status", "format", ("municipality", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("provider", "municipality")
    search_fields = ("title", "title_kana", "provider__name")
    readonly_fields = WORKFLOW_FIELDS
    inlines = (SessionInline,)

    def has_add_permission(self, request):
        # Opportunities are created on the provider pages, with their dates, through the services.
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "venue" in form.base_fields:
            form.base_fields["venue"].queryset = Venue.objects.filter(municipality_id=obj.municipality_id)
        return form

    @admin.display(description=_("review"))
    def review_link(self, obj: LearningOpportunity) -> str:
        if obj.status != Status.SUBMITTED:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("catalog:review_detail", args=[obj.pk]), _("Review"))


@admin.register(Category)
class CategoryAdmin(ReferenceDataAdmin):
    list_display = ("name", "name_en", "parent", "slug", "order")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent",)
    search_fields = ("name", "name_en", "slug")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # The taxonomy has two levels: a parent is always a top-level category.
            kwargs["queryset"] = Category.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        parent = form.base_fields.get("parent")
        if obj is not None and parent is not None:
            # Neither its own parent nor, while it has subcategories, anyone's subcategory.
            parent.queryset = Category.objects.none() if obj.children.exists() else parent.queryset.exclude(pk=obj.pk)
        return form


@admin.register(Audience)
class AudienceAdmin(ReferenceDataAdmin):
    list_display = ("name", "name_en", "slug", "order")
    search_fields = ("name", "name_en", "slug")


@admin.register(AccessibilityFeature)
class AccessibilityFeatureAdmin(ReferenceDataAdmin):
    list_display = ("name", "name_en", "scope", "slug", "order")
    list_filter = ("scope",)
    search_fields = ("name", "name_en", "slug")
