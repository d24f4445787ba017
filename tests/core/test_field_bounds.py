"""Every integer and decimal column of the project's models has form bounds within what the column
holds, in every form that writes to it; no form takes an unbounded number or a date at the ends of
the calendar.

The column ranges are PostgreSQL's (SQLite's are wider), written out here rather than taken from
`core.bounds`, so that this test checks the mechanism instead of repeating it.
"""

import ast
import importlib
import inspect
import pkgutil
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import RequestFactory

import manabiya

COLUMN_RANGES = {
    "SmallIntegerField": (-32768, 32767),
    "PositiveSmallIntegerField": (0, 32767),
    "IntegerField": (-2147483648, 2147483647),
    "PositiveIntegerField": (0, 2147483647),
    "BigIntegerField": (-9223372036854775808, 9223372036854775807),
    "PositiveBigIntegerField": (0, 9223372036854775807),
    "AutoField": (-2147483648, 2147483647),
    "SmallAutoField": (-32768, 32767),
    "BigAutoField": (-9223372036854775808, 9223372036854775807),
}
WIDEST = COLUMN_RANGES["BigIntegerField"]
SRC = Path(manabiya.__file__).parent


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("manabiya.")]


def column_range(field: models.Field) -> tuple:
    if isinstance(field, models.DecimalField):
        top = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(10) ** -field.decimal_places
        return -top, top
    return COLUMN_RANGES[field.get_internal_type()]


def number_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.IntegerField | models.DecimalField) and not f.is_relation
    ]


def check_form_field(form_field: forms.Field, low, high, where: str) -> list[str]:
    """Problems with a form field for a column holding low..high."""
    if isinstance(form_field, forms.TypedChoiceField | forms.ChoiceField):
        return []  # its choices bound it
    if not isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return [f"{where}: {type(form_field).__name__} for a number column"]
    lo, hi = form_field.min_value, form_field.max_value
    if lo is None or hi is None:
        return [f"{where}: no {'minimum' if lo is None else 'maximum'}"]
    if not (low <= lo <= hi <= high):
        return [f"{where}: {lo}..{hi} is not within the column's {low}..{high}"]
    if isinstance(form_field, forms.DecimalField) and form_field.max_digits is None:
        return [f"{where}: no max_digits"]
    return []


def test_every_number_column_gives_its_forms_bounds_within_its_range():
    """field.formfield() — what ModelForms and the admin build — has a minimum and a maximum the
    column holds on PostgreSQL."""
    problems, seen = [], 0
    for model in project_models():
        for field in number_fields(model):
            if isinstance(field, models.AutoField):
                continue
            seen += 1
            where = f"{model._meta.label}.{field.name}"
            low, high = column_range(field)
            problems += check_form_field(field.formfield(), low, high, where)
    assert seen > 50
    assert not problems, "\n".join(problems)


def _form_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("manabiya."):
            continue
        for info in pkgutil.walk_packages(config.module.__path__, prefix=config.name + "."):
            if "forms" in info.name.rsplit(".", 1)[-1]:
                yield importlib.import_module(info.name)


def project_form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module in _form_modules():
        for _name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


def _columns_by_name(app_label: str) -> dict[str, list[models.Field]]:
    by_name: dict[str, list[models.Field]] = {}
    for model in apps.get_app_config(app_label).get_models():
        for field in number_fields(model):
            by_name.setdefault(field.name, []).append(field)
    return by_name


def test_every_form_of_the_project_bounds_its_numbers_within_the_columns():
    """ModelForms and plain forms in every app's forms modules: each number field has a minimum
    and a maximum; for a model's column (a ModelForm's field, or a plain form's field named like
    a number column of its app) they lie within the column's range, else within the widest."""
    problems, forms_seen = [], 0
    for form_class in project_form_classes():
        forms_seen += 1
        app_label = apps.get_containing_app_config(form_class.__module__).label
        model = getattr(getattr(form_class, "_meta", None), "model", None)
        columns = _columns_by_name(app_label)
        for name, form_field in form_class.base_fields.items():
            if not isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                continue
            where = f"{form_class.__module__}.{form_class.__name__}.{name}"
            if model is not None and name in {f.name for f in number_fields(model)}:
                ranges = [column_range(model._meta.get_field(name))]
            else:
                ranges = [column_range(f) for f in columns.get(name, [])] or [WIDEST]
            low, high = max(r[0] for r in ranges), min(r[1] for r in ranges)
            problems += check_form_field(form_field, low, high, where)
    assert forms_seen > 30
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_admin_form_bounds_its_numbers_within_the_columns(admin_user):
    """The admin's add and change forms (and their inlines), as a superuser sees them."""
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    problems, seen = [], 0
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("manabiya."):
            continue
        form_classes = [(model, model_admin.get_form(request, obj=None))]
        for inline in model_admin.get_inline_instances(request):
            form_classes.append((inline.model, inline.get_formset(request).form))
        for form_model, form_class in form_classes:
            for field in number_fields(form_model):
                form_field = form_class.base_fields.get(field.name)
                if form_field is None:
                    continue  # not editable here
                seen += 1
                low, high = column_range(field)
                problems += check_form_field(form_field, low, high, f"admin {form_model._meta.label}.{field.name}")
    assert seen > 5
    assert not problems, "\n".join(problems)


def _calls(tree: ast.AST, names: set[str]):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            if name in names and owner == "forms":
                yield name, node


def test_no_form_field_anywhere_takes_an_unbounded_number_or_any_date():
    """Fields made in code — in a form's __init__, in a view — are checked from the source: every
    forms.IntegerField / DecimalField / FloatField names its min_value and max_value, and dates are
    core.bounds' DateField / DateTimeField, which keep within years 1900–2999."""
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(SRC)
        for name, call in _calls(tree, {"IntegerField", "DecimalField", "FloatField"}):
            given = {keyword.arg for keyword in call.keywords}
            if not {"min_value", "max_value"} <= given:
                problems.append(f"{where}:{call.lineno} forms.{name} without min_value and max_value")
        for name, call in _calls(tree, {"DateField", "DateTimeField", "SplitDateTimeField"}):
            if path.name != "bounds.py":
                problems.append(f"{where}:{call.lineno} forms.{name}: use core.bounds.{name}")
    assert not problems, "\n".join(problems)


def test_every_date_field_of_the_project_forms_keeps_within_the_calendar():
    """Date fields a ModelForm builds from its model are core.bounds' too (its formfield_callback)."""
    from manabiya.core import bounds

    problems = []
    for form_class in project_form_classes():
        for name, form_field in form_class.base_fields.items():
            if isinstance(form_field, forms.DateField | forms.DateTimeField) and not isinstance(
                form_field, bounds.DateField | bounds.DateTimeField
            ):
                problems.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert not problems, "\n".join(problems)
