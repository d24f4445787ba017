"""The Django admin as coordinators use it: each sees and edits only their municipalities' records.

Django's model permissions and groups are not used. Three kinds of people reach the admin:
superusers see everything; coordinators (staff through `core.services.coordinator_assign`) get
the actions a ModelAdmin lists in `coordinator_actions`, on the rows of the municipalities they
coordinate; everyone else sees nothing, even if staff.

Every change made through the admin is also written to the project's audit log.
"""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest

from .audit import log_action
from .models import Municipality
from .selectors import coordinated_municipalities

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL_ACTIONS = frozenset({VIEW, ADD, CHANGE, DELETE})
READ_ONLY = frozenset({VIEW})


def coordinated_ids(request: HttpRequest) -> frozenset[int]:
    """Ids of the municipalities the requesting user coordinates, asked once per request.

    The admin asks for permissions many times on one page; keep it to one query.
    """
    ids = getattr(request, "_manabiya_coordinated_ids", None)
    if ids is None:
        ids = frozenset(coordinated_municipalities(user=request.user).values_list("pk", flat=True))
        request._manabiya_coordinated_ids = ids
    return ids


def is_coordinator(request: HttpRequest) -> bool:
    return not request.user.is_superuser and bool(coordinated_ids(request))


class AuditedAdminMixin:
    """Mirror the admin's own log (additions, changes, deletions) into `core.audit`."""

    def audit_municipality(self, obj: models.Model) -> Municipality | None:
        return None

    def _audit(self, request: HttpRequest, obj: models.Model, verb: str, data: dict) -> None:
        log_action(
            actor=request.user,
            action=f"admin.{verb}",
            target=obj,
            municipality=self.audit_municipality(obj),
            data={"model": obj._meta.label, "object": str(obj), **data},
        )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "add", {"changes": message})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "change", {"changes": message})
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "delete", {})
        return super().log_deletions(request, queryset)


class CoordinatorPermissionsMixin(AuditedAdminMixin):
    """Grant coordinators `coordinator_actions` on this model; superusers keep Django's defaults.

    Override `in_scope` to limit which objects a coordinator may act on.
    """

    coordinator_actions: frozenset[str] = frozenset()

    def in_scope(self, request: HttpRequest, obj: models.Model) -> bool:
        return True

    def _coordinator_may(self, request: HttpRequest, action: str, obj: models.Model | None = None) -> bool:
        if action not in self.coordinator_actions or not is_coordinator(request):
            return False
        return obj is None or self.in_scope(request, obj)

    def has_module_permission(self, request):
        if request.user.is_superuser:
            return super().has_module_permission(request)
        return bool(self.coordinator_actions) and is_coordinator(request)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self._coordinator_may(request, VIEW, obj) or self._coordinator_may(request, CHANGE, obj)

    def has_add_permission(self, request):
        if request.user.is_superuser:
            return super().has_add_permission(request)
        return self._coordinator_may(request, ADD)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self._coordinator_may(request, CHANGE, obj)

    def has_delete_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        return self._coordinator_may(request, DELETE, obj)


class MunicipalityScopedAdmin(CoordinatorPermissionsMixin, admin.ModelAdmin):
    """A ModelAdmin of records that belong to a municipality.

    `municipality_path` leads from the model to its Municipality as a lookup ("municipality",
    "organization__municipality"); "" means the model is Municipality itself. A coordinator's
    changelist holds only their municipalities' rows, foreign-key choices are limited the same way
    (through the related model's own admin), another municipality's object answers 403, and
    saving into another municipality is refused.
    """

    municipality_path = "municipality"
    # Django 6 makes https the default scheme of typed-in URLs; take it now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # --- scope ----------------------------------------------------------------------------------

    def municipality_id_of(self, obj: models.Model) -> int | None:
        if not self.municipality_path:
            return obj.pk
        *hops, last = self.municipality_path.split("__")
        try:
            for hop in hops:
                obj = getattr(obj, hop)
        except ObjectDoesNotExist:
            return None
        return getattr(obj, f"{last}_id", None)

    def audit_municipality(self, obj: models.Model) -> Municipality | None:
        if not self.municipality_path:
            return obj if obj.pk else None
        municipality_id = self.municipality_id_of(obj)
        return Municipality.objects.filter(pk=municipality_id).first() if municipality_id else None

    def in_scope(self, request: HttpRequest, obj: models.Model) -> bool:
        return request.user.is_superuser or self.municipality_id_of(obj) in coordinated_ids(request)

    def scope_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        if request.user.is_superuser:
            return queryset
        lookup = f"{self.municipality_path}__in" if self.municipality_path else "pk__in"
        return queryset.filter(**{lookup: coordinated_ids(request)})

    # --- ModelAdmin hooks -----------------------------------------------------------------------

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        """Answer 403, not "perhaps it was deleted", for an object of another municipality."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not request.user.is_superuser:
            field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
            try:
                exists = self.model._default_manager.filter(**{field.name: field.to_python(object_id)}).exists()
            except (ValidationError, ValueError):
                exists = False
            if exists:
                raise PermissionDenied
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and not request.user.is_superuser:
            related_admin = self._admin_of(db_field.related_model)
            if isinstance(related_admin, MunicipalityScopedAdmin):
                kwargs["queryset"] = related_admin.scope_queryset(
                    request, db_field.related_model._default_manager.all()
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _admin_of(self, model) -> admin.ModelAdmin | None:
        try:
            return self.admin_site.get_model_admin(model)
        except NotRegistered:
            return None

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        ids = coordinated_ids(request) if is_coordinator(request) else ()
        if self.municipality_path == "municipality" and len(ids) == 1:
            initial.setdefault("municipality", next(iter(ids)))
        return initial

    def save_model(self, request, obj, form, change):
        # The form's choices already keep a coordinator inside their municipalities; refuse here
        # too, so that no other path through the admin can move a record out of their reach.
        if not self.in_scope(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class ReferenceDataAdmin(CoordinatorPermissionsMixin, admin.ModelAdmin):
    """Region-wide reference data (categories, audiences, …): coordinators view, add and change;
    only superusers delete, since every municipality's opportunities point at these rows."""

    coordinator_actions = frozenset({VIEW, ADD, CHANGE})


class ReadOnlyInline(admin.TabularInline):
    """Rows shown inside their parent's page, never edited there."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        parent = self.admin_site.get_model_admin(self.parent_model)
        return parent.has_view_permission(request, obj)


class ServiceWrittenAdmin(MunicipalityScopedAdmin):
    """Rows only the services write (they hold the locks, write the audit entry, send the emails):
    coordinators look them up here, and nobody, not even a superuser, edits them in the admin."""

    coordinator_actions = READ_ONLY

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
