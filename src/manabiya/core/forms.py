"""Glue between services and forms: a refused rule becomes an error next to its field."""

from django import forms

from .errors import RuleViolation


def add_rule_violation(form: forms.Form, violation: RuleViolation, *, field_map: dict[str, str] | None = None) -> None:
    """Show `violation` on `form`: next to its field when the form has it, at the top otherwise.

    `field_map` renames service field names to form field names (e.g. "sessions" → a formset anchor).
    """
    name = (field_map or {}).get(violation.field or "", violation.field)
    form.add_error(name if name in form.fields else None, violation.message)
