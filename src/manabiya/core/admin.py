"""Admin for municipalities, organizations, people and the audit log; `admin_scoping` says who sees what."""

from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .admin_scoping import (
    ADD,
    ALL_ACTIONS,
    DELETE,
    READ_ONLY,
    VIEW,
    AuditedAdminMixin,
    FieldPrivacyMixin,
    MunicipalityScopedAdmin,
    ReadOnlyInline,
    ServiceWrittenAdmin,
    privacy_autocomplete_view,
)
from .models import AuditEntry, CoordinatorAssignment, Membership, Municipality, Organization, User
from .services import coordinator_assign, coordinator_unassign

admin.site.site_header = _("Manabiya administration")
# Its choices name rows as every other admin page does, keeping private names private.
admin.site.autocomplete_view = privacy_autocomplete_view(admin.site)
admin.site.site_title = _("Manabiya administration")
admin.site.index_title = _("Records")


# --- people --------------------------------------------------------------------------------------


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipOfUserInline(ReadOnlyInline):
    model = Membership
    fk_name = "user"
    fields = ("organization", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("acts for these organizations")


class CoordinatorAssignmentOfUserInline(ReadOnlyInline):
    model = CoordinatorAssignment
    fk_name = "user"
    fields = ("municipality", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("coordinates these municipalities")


@admin.register(User)
class UserAdmin(FieldPrivacyMixin, AuditedAdminMixin, auth_admin.UserAdmin):
    """Accounts, for superusers only; roles are granted through memberships and coordinator assignments."""

    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    list_display = ("email", "display_name", "is_staff", "is_superuser", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "display_name", "first_name", "last_name")
    ordering = ("email",)
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")
    inlines = (MembershipOfUserInline, CoordinatorAssignmentOfUserInline)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class UserByEmailForm(forms.ModelForm):
    """Name the person by their email address instead of choosing from a list of every account.

    `unique_with` is the other field of the model's (user, …) unique constraint; the form checks
    it itself because the model's own check skips `user`, which is not a form field.
    """

    unique_with = ""
    user_email = forms.EmailField(
        label=_("Email address of the person"), help_text=_("The person must already have an account.")
    )

    def clean_user_email(self) -> str:
        email = self.cleaned_data["user_email"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(
                _("No account uses this email address. Ask the person to sign up first."), code="unknown_user"
            )
        self.instance.user = user
        return email

    def clean(self):
        cleaned = super().clean()
        other = cleaned.get(self.unique_with)
        if self.instance.user_id and other is not None:
            duplicate = self._meta.model._default_manager.filter(
                user_id=self.instance.user_id, **{self.unique_with: other}
            ).exclude(pk=self.instance.pk)
            if duplicate.exists():
                raise ValidationError(
                    _("%(user)s is already listed for %(where)s."),
                    code="duplicate",
                    params={"user": self.instance.user, "where": other},
                )
        return cleaned


class MembershipForm(UserByEmailForm):
    unique_with = "organization"

    class Meta:
        model = Membership
        fields = ("organization",)


class CoordinatorAssignmentForm(UserByEmailForm):
    unique_with = "municipality"

    class Meta:
        model = CoordinatorAssignment
        fields = ("municipality",)


class AddOnlyMixin:
    """A link between a person and a place: added or removed, never edited."""

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.shown_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.shown_fields


# --- municipalities and organizations ------------------------------------------------------------


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityScopedAdmin):
    """Coordinators read their municipality; a superuser edits it, including whether its coordinators and
    facility staff must log in with a second factor (`core.accounts.mfa`)."""

    municipality_path = ""
    coordinator_actions = READ_ONLY
    list_display = ("name", "code", "prefecture", "staff_mfa_required")
    list_filter = ("staff_mfa_required",)
    fields = ("code", "name", "name_kana", "prefecture", "staff_mfa_required")
    search_fields = ("name", "name_kana", "code")
    ordering = ("code",)


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ("user", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("members (add them under Organization members)")


@admin.register(Organization)
class OrganizationAdmin(MunicipalityScopedAdmin):
    coordinator_actions = ALL_ACTIONS
    list_display = ("name", "kind", "municipality", "trusted")
    list_filter = ("kind", "trusted", ("municipality", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("municipality",)
    search_fields = ("name", "name_kana")
    fields = (
        "municipality", "name", "name_kana", "kind", "description", "contact_email", "contact_phone",
        "website", "trusted",
    )  # fmt: skip
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(AddOnlyMixin, MunicipalityScopedAdmin):
    municipality_path = "organization__municipality"
    coordinator_actions = frozenset({VIEW, ADD, DELETE})
    form = MembershipForm
    add_fields = ("organization", "user_email")
    shown_fields = ("user", "organization", "created_at")
    list_display = ("user", "organization", "created_at")
    list_select_related = ("user", "organization")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("user__email", "user__display_name", "organization__name")


@admin.register(CoordinatorAssignment)
class CoordinatorAssignmentAdmin(AddOnlyMixin, MunicipalityScopedAdmin):
    """Coordinators see their colleagues; only a superuser appoints or removes a coordinator."""

    coordinator_actions = READ_ONLY
    form = CoordinatorAssignmentForm
    add_fields = ("municipality", "user_email")
    shown_fields = ("user", "municipality", "created_at")
    list_display = ("user", "municipality", "created_at")
    list_select_related = ("user", "municipality")
    search_fields = ("user__email", "user__display_name", "municipality__name")

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        if not self.in_scope(request, obj):
            raise PermissionDenied
        # The service makes the person staff, so they can sign in here, and records the appointment.
        assignment = coordinator_assign(actor=request.user, user=obj.user, municipality=obj.municipality)
        obj.pk = assignment.pk
        obj._state.adding = False
        return None

    def log_addition(self, request, obj, message):
        # `coordinator_assign` has written the audit entry already.
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def delete_model(self, request, obj):
        coordinator_unassign(actor=request.user, user=obj.user, municipality=obj.municipality)

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("user", "municipality"):
            coordinator_unassign(actor=request.user, user=assignment.user, municipality=assignment.municipality)


# --- audit log -----------------------------------------------------------------------------------


@admin.register(AuditEntry)
class AuditEntryAdmin(ServiceWrittenAdmin):
    """The audit log, read-only for everyone; a coordinator reads their municipalities' entries."""

    list_display = ("created_at", "actor", "action", "content_type", "object_id", "municipality")
    list_select_related = ("actor", "content_type", "municipality")
    list_filter = ("action",)
    search_fields = ("action", "object_id", "reason", "actor__email")
    ordering = ("-created_at", "-id")
    show_full_result_count = False
