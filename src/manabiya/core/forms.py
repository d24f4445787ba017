"""Glue between services and forms: a refused rule becomes an error next to its field."""

from django import forms

from .errors import RuleViolation


def add_rule_violation(form: forms.Form, violation: RuleViolation) -> None:
    """Show `violation` on `form`: next to its field when the form has it, at the top otherwise."""
    form.add_error(violation.field if violation.field in form.fields else None, violation.message)
