"""Bounds on what a request may ask for: numbers a column holds, ids, dates a page can show.

A model's integer or decimal field made from the field classes here gives its form field a minimum
and a maximum that fit the database column on every database the project runs on (PostgreSQL's
ranges: SQLite's are wider), narrowed by the field's own MinValueValidator / MaxValueValidator. So
every form built from the model — a ModelForm, the admin's forms, `field.formfield()` — refuses a
capacity of 0 or 10⁹ credits with a message next to the field, where the database would refuse it
with a server error. Plain forms that write to such a column take the same bounds with
`bounded_number_field()`; tests/core/test_field_bounds.py holds every form to this.

Ids and dates read straight from a request go through `parse_id()` and `parse_date()`, and the
date fields of forms are the `DateField` and `DateTimeField` here (a ModelForm gets them with
`formfield_callback = bounds.formfield`): a date within DATE_MIN..DATE_MAX, so that the week or
month around it, or its midnight in any time zone, still exists.
"""

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core import validators
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# The oldest age a form takes (a person's, or the top of an opportunity's age range).
AGE_MAX = 120

# The narrowest range each integer column has on the supported databases (PostgreSQL's).
INTEGER_COLUMN_RANGES: dict[str, tuple[int, int]] = BaseDatabaseOperations.integer_field_ranges


def column_range(field: models.Field) -> tuple[int | Decimal, int | Decimal]:
    """The values the column of `field` holds on every supported database."""
    if isinstance(field, models.DecimalField):
        top = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(-field.decimal_places)
        return -top, top
    return INTEGER_COLUMN_RANGES[field.get_internal_type()]


def _limit(validator) -> int | Decimal:
    value = validator.limit_value
    return value() if callable(value) else value


def field_bounds(field: models.Field) -> tuple[int | Decimal, int | Decimal]:
    """The column's range narrowed by the field's own minimum and maximum validators."""
    low, high = column_range(field)
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            low = max(low, _limit(validator))
        elif isinstance(validator, validators.MaxValueValidator):
            high = min(high, _limit(validator))
    return low, high


def bounded_number_field(model_field: models.Field, **kwargs) -> forms.Field:
    """A form field for a plain form that writes to `model_field`, with its bounds (and label)."""
    low, high = field_bounds(model_field)
    return model_field.formfield(**{"min_value": low, "max_value": high, **kwargs})


class _Bounded:
    """Gives a number field's form field the bounds of its column and validators."""

    def formfield(self, **kwargs):
        low, high = field_bounds(self)
        return super().formfield(**{"min_value": low, "max_value": high, **kwargs})

    def deconstruct(self):
        # Migrations record Django's own field: the bounds concern forms, the column is the same.
        name, _path, args, kwargs = super().deconstruct()
        django_class = next(c for c in type(self).__mro__ if c.__module__.startswith("django.db.models"))
        return name, f"django.db.models.{django_class.__name__}", args, kwargs


class SmallIntegerField(_Bounded, models.SmallIntegerField):
    pass


class IntegerField(_Bounded, models.IntegerField):
    pass


class BigIntegerField(_Bounded, models.BigIntegerField):
    pass


class PositiveSmallIntegerField(_Bounded, models.PositiveSmallIntegerField):
    pass


class PositiveIntegerField(_Bounded, models.PositiveIntegerField):
    pass


class PositiveBigIntegerField(_Bounded, models.PositiveBigIntegerField):
    pass


class DecimalField(_Bounded, models.DecimalField):
    pass


# --- ids and dates read from a request ----------------------------------------------------------

ID_MAX = INTEGER_COLUMN_RANGES["BigAutoField"][1]
_ID = re.compile(r"[1-9][0-9]{0,18}")


def parse_id(value: str | None) -> int | None:
    """A primary key as a page prints it (ASCII digits, within a bigint), or None."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if number <= ID_MAX else None


# Years far from the ends of Python's calendar (1 and 9999) and from any real use of the site.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)


def parse_date(value: str | None, fmt: str = "%Y-%m-%d") -> dt.date | None:
    """`value` read with `fmt` (e.g. "%Y-%m" for a month), or None when it is not a date within
    DATE_MIN..DATE_MAX."""
    if not isinstance(value, str):
        return None
    try:
        day = dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def _check_day(day: dt.date) -> None:
    if not DATE_MIN <= day <= DATE_MAX:
        raise forms.ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            code="date_range",
            params={"min": date_format(DATE_MIN, "SHORT_DATE_FORMAT"),
                    "max": date_format(DATE_MAX, "SHORT_DATE_FORMAT")},
        )  # fmt: skip


class DateField(forms.DateField):
    """A form's date, refused outside DATE_MIN..DATE_MAX with a message in the user's language."""

    def validate(self, value):
        super().validate(value)
        if value is not None:
            _check_day(value)


class DateTimeField(forms.DateTimeField):
    """A form's date and time, refused when its day lies outside DATE_MIN..DATE_MAX."""

    def validate(self, value):
        super().validate(value)
        if value is not None:
            _check_day(value.date())


def formfield(model_field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm's `formfield_callback`: dates within DATE_MIN..DATE_MAX (numbers get their
    bounds from the model's field classes above)."""
    if isinstance(model_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(model_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    return model_field.formfield(**kwargs)
