"""The Django admin as coordinators use it: each sees and edits only their municipalities' records.

Django's model permissions and groups are not used. Three kinds of people reach the admin:
superusers see everything; coordinators (staff through `core.services.coordinator_assign`) get
the actions a ModelAdmin lists in `coordinator_actions`, on the rows of the municipalities they
coordinate; everyone else sees nothing, even if staff.

Every change made through the admin is also written to the project's audit log.

Some models let the people they describe keep items to themselves (a talent-bank registrant's name,
keywords, qualifications, … marked "only me"). Such a model registers a `FieldPrivacy` in
`field_privacy`; every admin of the project (`FieldPrivacyMixin`, in every base class below) then
reads its rows through it: lists, change, history and delete pages, related rows shown on other
models' pages, inlines, choices, search, filters and sorting see only what the staff pages see.
`privacy_errors` (a system check) refuses an admin that would go around it.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import NestedObjects, lookup_spawns_duplicates, quote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, router
from django.db.models.constants import LOOKUP_SEP
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst, smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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


# --- per-field privacy ---------------------------------------------------------------------------


class FieldPrivacy:
    """What staff may read of a model whose rows keep some fields from them.

    The app that owns the model subclasses this, deciding through the same reader its staff pages
    use, and registers it: `field_privacy.register(TalentProfile, TalentProfilePrivacy())`.
    """

    #: The model fields a row may keep from staff (a many-to-many field too).
    fields: frozenset[str] = frozenset()

    def hidden_fields(self, obj: models.Model) -> frozenset[str]:
        """Of `fields`, those staff may not read on `obj`."""
        raise NotImplementedError

    def readable_q(self, field_name: str) -> models.Q:
        """The rows whose `field_name` staff may read: what searching that field may match."""
        raise NotImplementedError

    def label(self, obj: models.Model) -> str:
        """What staff call `obj` (its str() when that may show a private value)."""
        return str(obj)

    def placeholder(self, obj: models.Model, field: models.Field) -> Any:
        """The value staff see instead of a hidden one. Call before `obj` is masked."""
        if isinstance(field, models.CharField | models.TextField):
            return gettext("(kept private)")
        return None


class FieldPrivacyRegistry:
    def __init__(self):
        self._policies: dict[type[models.Model], FieldPrivacy] = {}

    def register(self, model: type[models.Model], policy: FieldPrivacy) -> None:
        unknown = {name for name in policy.fields if not _has_field(model, name)}
        if unknown:
            raise ValueError(f"{model._meta.label} has no field {', '.join(sorted(unknown))}")
        self._policies[model] = policy

    def policy_for(self, model: type[models.Model] | None) -> FieldPrivacy | None:
        if model is None:
            return None
        return self._policies.get(model._meta.concrete_model)

    def models(self) -> list[type[models.Model]]:
        return list(self._policies)


field_privacy = FieldPrivacyRegistry()


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def private_step(model: type[models.Model], path: str) -> tuple[str, FieldPrivacy, str] | None:
    """Where the lookup `path` from `model` ("name", "lecturer__keywords__icontains", "-name_kana")
    reads a field a row may keep private: (the lookup up to that row, its policy, the field), or None."""
    prefix: list[str] = []
    current = model
    for part in path.lstrip("-").split(LOOKUP_SEP):
        if part == "pk":
            part = current._meta.pk.name
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None  # a lookup or a transform: the fields end here
        policy = field_privacy.policy_for(current)
        if policy is not None and field.name in policy.fields:
            return LOOKUP_SEP.join(prefix), policy, field.name
        if not field.is_relation or field.related_model is None:
            return None
        prefix.append(part)
        current = field.related_model
    return None


def _target_model(model: type[models.Model], path: str) -> type[models.Model] | None:
    """The model a relation path ends on ("talent", "need__organization"), or None."""
    current = model
    for part in path.split(LOOKUP_SEP):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not field.is_relation or field.related_model is None:
            return None
        current = field.related_model
    return current


def _prefixed(q: models.Q, prefix: str) -> models.Q:
    """`q` about a related row, moved onto the row that reaches it through `prefix`."""
    if not prefix:
        return q
    moved = models.Q()
    moved.connector, moved.negated = q.connector, q.negated
    moved.children = [
        _prefixed(child, prefix) if isinstance(child, models.Q) else (f"{prefix}{LOOKUP_SEP}{child[0]}", child[1])
        for child in q.children
    ]
    return moved


def privacy_label(obj: models.Model) -> str:
    policy = field_privacy.policy_for(type(obj))
    return policy.label(obj) if policy is not None else str(obj)


class PrivacyAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete (the choices of a related row, as staff type) names each row as every
    other admin page does: a row whose owner keeps its name private by its label."""

    def serialize_result(self, obj, to_field_name):
        return {**super().serialize_result(obj, to_field_name), "text": privacy_label(privacy_mask(obj))}


def privacy_autocomplete_view(site: admin.AdminSite):
    """`site.autocomplete_view` for PrivacyAutocompleteJsonView (the AdminSite wraps it as its own)."""

    def autocomplete_view(request: HttpRequest):
        return PrivacyAutocompleteJsonView.as_view(admin_site=site)(request)

    return autocomplete_view


def privacy_mask(obj: models.Model, *, _seen: set | None = None) -> models.Model:
    """Hide on this in-memory instance what staff may not read, and do the same to the private rows it
    points at (loaded here if need be) and to every row already loaded with it. Return `obj`.

    A masked instance must not be saved as it is: `privacy_unmask` gives the values back first.
    """
    seen = _seen if _seen is not None else set()
    if id(obj) in seen:
        return obj
    seen.add(id(obj))
    policy = field_privacy.policy_for(type(obj))
    if policy is not None and getattr(obj, "_privacy_originals", None) is None:
        hidden = [obj._meta.get_field(name) for name in sorted(policy.hidden_fields(obj))]
        # Many-to-many values are never read from a masked row: the pages leave those fields out.
        shown_instead = {f.attname: policy.placeholder(obj, f) for f in hidden if not f.many_to_many}
        obj._privacy_originals = {name: getattr(obj, name) for name in shown_instead}
        for name, value in shown_instead.items():
            setattr(obj, name, value)
    for field in obj._meta.concrete_fields:
        if not field.is_relation or field.related_model is None or field.many_to_many:
            continue
        if field.is_cached(obj) or field_privacy.policy_for(field.related_model) is not None:
            related = getattr(obj, field.name)
            if related is not None:
                privacy_mask(related, _seen=seen)
    for cached in list(obj._state.fields_cache.values()):
        if isinstance(cached, models.Model):
            privacy_mask(cached, _seen=seen)
    for rows in getattr(obj, "_prefetched_objects_cache", {}).values():
        for row in rows:
            privacy_mask(row, _seen=seen)
    return obj


def privacy_masked(objs: Iterable[models.Model]) -> list[models.Model]:
    """The rows as staff may read them: what an admin action that writes rows out must go through."""
    return [privacy_mask(obj) for obj in objs]


def privacy_unmask(obj: models.Model) -> models.Model:
    originals = getattr(obj, "_privacy_originals", None)
    if originals:
        for name, value in originals.items():
            setattr(obj, name, value)
    obj._privacy_originals = None
    return obj


def hidden_on(obj: models.Model | None) -> frozenset[str]:
    """The fields of `obj` staff may not read (empty for a model without per-field privacy)."""
    if obj is None:
        return frozenset()
    policy = field_privacy.policy_for(type(obj))
    return policy.hidden_fields(obj) if policy is not None else frozenset()


class PrivacyChangeList(ChangeList):
    """A changelist whose rows are masked and whose private columns do not sort."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)  # the queryset's own cache: masking a row masks what is shown
        to_private = [
            f.name
            for f in self.model._meta.concrete_fields
            if f.is_relation and not f.many_to_many and field_privacy.policy_for(f.related_model) is not None
        ]
        if to_private:
            models.prefetch_related_objects(rows, *to_private)  # one query each, not one a row
        for obj in rows:
            privacy_mask(obj)

    def get_ordering_field(self, field_name):
        order_field = super().get_ordering_field(field_name)
        if isinstance(order_field, str) and private_step(self.model, order_field):
            return None
        return order_field


class PrivacyMaskedInlineFormSet(BaseInlineFormSet):
    """Inline rows as staff may read them (read-only inlines only: a masked row is never saved)."""

    def get_queryset(self):
        if not hasattr(self, "_masked_rows"):
            self._masked_rows = privacy_masked(super().get_queryset())
        return self._masked_rows


class FieldPrivacyMixin:
    """Show, search, filter and sort every model through its `FieldPrivacy`, if it has one.

    Rows are masked as they are read (the changelist's rows, the object of the change, history and
    delete pages, the private rows they point at); a change page leaves out the fields its object
    keeps private; search matches a private field only on rows that show it; no address filter,
    column or default order reads a private field; choices and delete pages name private rows by
    their label.
    """

    def get_changelist(self, request, **kwargs):
        return PrivacyChangeList

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        return privacy_mask(obj) if obj is not None else None

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not hidden_on(obj):
            return fieldsets
        hidden = hidden_on(obj) | {"privacy_kept_private"}
        kept = []
        for title, options in fieldsets:
            fields = []
            for entry in options.get("fields", ()):
                if isinstance(entry, list | tuple):
                    entry = tuple(name for name in entry if name not in hidden)
                    if entry:
                        fields.append(entry)
                elif entry not in hidden:
                    fields.append(entry)
            if fields:
                kept.append((title, {**options, "fields": fields}))
        kept.append((_("Kept private"), {"fields": ["privacy_kept_private"]}))
        return kept

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "privacy_kept_private") if hidden_on(obj) else readonly

    @admin.display(description=_("Not shown to staff"))
    def privacy_kept_private(self, obj) -> str:
        names = sorted(hidden_on(obj))
        return ", ".join(str(capfirst(obj._meta.get_field(name).verbose_name)) for name in names)

    def get_ordering(self, request):
        ordering = super().get_ordering(request) or self.model._meta.ordering
        if not any(isinstance(o, str) and private_step(self.model, o) for o in ordering):
            return super().get_ordering(request)
        return [o for o in ordering if not (isinstance(o, str) and private_step(self.model, o))] or ["-pk"]

    def get_sortable_by(self, request):
        sortable = super().get_sortable_by(request)
        return [name for name in sortable if not (isinstance(name, str) and private_step(self.model, name))]

    def lookup_allowed(self, lookup, value, request=None):
        if private_step(self.model, lookup):
            return False  # the changelist answers 400, as for any lookup it does not offer
        return super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request, queryset, search_term):
        search_fields = [str(f) for f in self.get_search_fields(request)]
        steps = {f: private_step(self.model, f.lstrip("^=@")) for f in search_fields}
        if not search_term or not any(steps.values()):
            return super().get_search_results(request, queryset, search_term)
        lookups = [(_search_lookup(queryset.model, f), steps[f]) for f in search_fields]
        terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            matches = models.Q()
            for lookup, step in lookups:
                match = models.Q(**{lookup: bit})
                if step is not None:
                    prefix, policy, name = step
                    match &= _prefixed(policy.readable_q(name), prefix)
                matches |= match
            terms.append(matches)
        queryset = queryset.filter(*terms)
        return queryset, any(lookup_spawns_duplicates(self.opts, lookup) for lookup, _step in lookups)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _labelled(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _labelled(super().formfield_for_manytomany(db_field, request, **kwargs), db_field)

    def save_model(self, request, obj, form, change):
        # The form never held a hidden field; give the row its own values back before writing it.
        privacy_unmask(obj)
        super().save_model(request, obj, form, change)
        privacy_mask(obj)

    def get_deleted_objects(self, objs, request):
        """Django's list of what a deletion takes or is stopped by, naming private rows by their label."""
        objs = list(objs)
        if not objs:
            return [], {}, set(), []
        collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
        collector.collect(objs)
        perms_needed = set()

        def format_callback(obj):
            opts = obj._meta
            label = privacy_label(obj)
            if not self.admin_site.is_registered(type(obj)):
                return f"{capfirst(opts.verbose_name)}: {label}"
            if not self.admin_site.get_model_admin(type(obj)).has_delete_permission(request, obj):
                perms_needed.add(opts.verbose_name)
            try:
                url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
            except NoReverseMatch:
                return f"{capfirst(opts.verbose_name)}: {label}"
            return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, label)

        to_delete = collector.nested(format_callback)
        protected = [format_callback(obj) for obj in collector.protected]
        model_count = {model._meta.verbose_name_plural: len(rows) for model, rows in collector.model_objs.items()}
        return to_delete, model_count, perms_needed, protected


def _search_lookup(model: type[models.Model], name: str) -> str:
    """The lookup Django's admin search makes of a `search_fields` entry."""
    if name.startswith("^"):
        return f"{name[1:]}__istartswith"
    if name.startswith("="):
        return f"{name[1:]}__iexact"
    if name.startswith("@"):
        return f"{name[1:]}__search"
    opts, previous = model._meta, None
    for part in name.split(LOOKUP_SEP):
        try:
            previous = opts.get_field(opts.pk.name if part == "pk" else part)
        except FieldDoesNotExist:
            if previous is not None and previous.get_lookup(part):
                return name  # it names its lookup
            break
        if getattr(previous, "path_infos", None):
            opts = previous.path_infos[-1].to_opts
    return f"{name}__icontains"


def _labelled(formfield, db_field):
    """Name private rows among a field's choices by their label, never by a private value."""
    if formfield is not None and field_privacy.policy_for(db_field.related_model) is not None:
        formfield.label_from_instance = privacy_label
    return formfield


def _related_paths(model_admin) -> Iterable[tuple[str, str]]:
    """(option, path) of each field an admin filters, links or edits by."""
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            yield "list_filter", entry
        elif isinstance(entry, list | tuple):
            yield "list_filter", entry[0]
    if model_admin.date_hierarchy:
        yield "date_hierarchy", model_admin.date_hierarchy
    for option in ("raw_id_fields", "autocomplete_fields", "list_editable"):
        for name in getattr(model_admin, option, ()):
            yield option, name


def privacy_errors(site: admin.AdminSite) -> list[checks.CheckMessage]:
    """Admins that would show a private value outside `FieldPrivacyMixin`; see the module docstring."""
    errors = []
    private_models = set(field_privacy.models())
    for model, model_admin in site._registry.items():
        label = f"{type(model_admin).__name__} ({model._meta.label})"
        points_at_private = model in private_models or any(
            f.is_relation and f.related_model in private_models for f in model._meta.get_fields()
        )
        if not isinstance(model_admin, FieldPrivacyMixin):
            if points_at_private or model.__module__.startswith("manabiya."):
                errors.append(
                    checks.Error(
                        f"{label} does not read rows through the field privacy rule.",
                        hint="Derive it from core.admin_scoping's base classes (FieldPrivacyMixin).",
                        obj=type(model_admin),
                        id="manabiya.E101",
                    )
                )
            continue
        for option, path in _related_paths(model_admin):
            step = private_step(model, path)
            target = _target_model(model, path)
            if step is not None or (target in private_models and option != "list_editable"):
                errors.append(
                    checks.Error(
                        f"{label}.{option} uses {path}, which can show or test a value kept private.",
                        obj=type(model_admin),
                        id="manabiya.E102",
                    )
                )
        for inline in model_admin.inlines:
            if inline.model in private_models and not issubclass(inline, ReadOnlyInline):
                errors.append(
                    checks.Error(
                        f"{label} edits {inline.model._meta.label} inline; show private rows read-only.",
                        obj=type(model_admin),
                        id="manabiya.E103",
                    )
                )
    return errors


@checks.register(checks.Tags.admin)
def check_field_privacy(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from django.contrib.admin.sites import all_sites

    return [error for site in all_sites for error in privacy_errors(site)]


# --- permissions and scope ------------------------------------------------------------------------


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
            data={"model": obj._meta.label, "object": privacy_label(obj), **data},
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


class CoordinatorPermissionsMixin(FieldPrivacyMixin, AuditedAdminMixin):
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
    """Rows shown inside their parent's page, never edited there; masked like every row (see above)."""

    formset = PrivacyMaskedInlineFormSet
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
