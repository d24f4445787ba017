"""Forms of the provider pages. They check the shape of the input and turn it into the arguments
of services.opportunity_create / opportunity_update; the services check the rules and write."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manabiya.core import bounds
from manabiya.core.bounds import ID_MAX
from manabiya.core.errors import RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.models import Organization

from . import services
from .models import LOCAL_ZONE, AccessibilityFeature, Audience, Category, LearningOpportunity, Session, Venue

LANGUAGE_CHOICES = [
    ("ja", _("Japanese")),
    ("easy-ja", _("Easy Japanese (やさしい日本語)")),
    ("en", _("English")),
    ("zh", _("Chinese")),
    ("ko", _("Korean")),
    ("vi", _("Vietnamese")),
]

# (legend, field names): the order the form is shown and read in.
OPPORTUNITY_FIELDSETS = [
    (_("About the opportunity"), [
        "title", "title_kana", "title_en", "summary", "description", "category", "audiences",
        "age_min", "age_max",
    ]),
    (_("Place"), ["format", "venue", "online_url"]),
    (_("Fee and applications"), [
        "fee", "fee_note", "capacity", "application_method", "application_opens_at", "application_closes_at",
        "application_note", "eligibility_note",
    ]),
    (_("Childcare, accessibility and languages"), [
        "childcare_offered", "childcare_capacity", "childcare_ages", "accessibility", "languages",
    ]),
    (_("Contact"), ["contact_name", "contact_phone", "contact_email", "url"]),
    (_("Image"), ["image", "image_alt"]),
]  # fmt: skip


class LocalDateTimeField(bounds.DateTimeField):
    """A datetime-local input read and shown as Asia/Tokyo wall-clock time, whatever zone is active."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def prepare_value(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value, LOCAL_ZONE)
        return value

    def to_python(self, value):
        with timezone.override(LOCAL_ZONE):
            return super().to_python(value)


def venue_choices_for(provider: Organization):
    return Venue.objects.filter(municipality_id=provider.municipality_id).order_by("name_kana", "name")


def grouped_category_choices() -> list:
    """Subcategories grouped under their top-level category; a top-level one can be chosen too."""
    categories = list(Category.objects.order_by("order", "id"))
    tops = [c for c in categories if c.parent_id is None]
    choices: list = [("", _("Choose a topic"))]
    for top in tops:
        children = [(c.pk, c.name) for c in categories if c.parent_id == top.pk]
        choices.append((top.name, [(top.pk, _("%(name)s (general)") % {"name": top.name}), *children]))
    return choices


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return bounds.formfield(model_field, **kwargs)


class OpportunityForm(forms.ModelForm):
    """The opportunity's own fields. Shaped like a ModelForm for its labels and initial values, but
    it never builds, validates or saves the model: pass `service_kwargs()` to a service."""

    category = forms.ModelChoiceField(label=_("Topic"), queryset=Category.objects.all(), required=False)
    audiences = forms.ModelMultipleChoiceField(
        label=_("Who it is for"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility = forms.ModelMultipleChoiceField(
        label=_("Accessibility support offered"),
        queryset=AccessibilityFeature.objects.filter(scope=AccessibilityFeature.Scope.OPPORTUNITY),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    application_opens_at = LocalDateTimeField(
        label=_("Applications open"), required=False, help_text=_("Japan time. Leave empty if not needed.")
    )
    application_closes_at = LocalDateTimeField(
        label=_("Applications close"), required=False, help_text=_("Japan time. A lottery needs a deadline.")
    )
    # When the page was drawn: the service refuses the save if someone saved in between.
    version = bounds.DateTimeField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = LearningOpportunity
        formfield_callback = _formfield
        fields = [name for _legend, names in OPPORTUNITY_FIELDSETS for name in names]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "application_note": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": forms.TextInput(attrs={"type": "tel"}),
        }
        help_texts = {
            "title_kana": _("In hiragana or katakana, for reading aloud and sorting."),
            "venue": _("Venues registered in your municipality. A date can name another one."),
            "online_url": _("For an online or hybrid opportunity."),
            "image": _("If the form is shown again with a message, choose the image again."),
            "image_alt": _("What the image shows, for people who cannot see it."),
        }

    def __init__(self, *args, provider: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.fields["venue"].queryset = venue_choices_for(provider)
        self.fields["venue"].empty_label = _("No venue yet")
        self.fields["category"].choices = grouped_category_choices()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.updated_at.isoformat()

    def _post_clean(self):
        # Leave the instance alone: the services reload, check and save it.
        pass

    def save(self, commit=True):
        raise NotImplementedError("Save through services.opportunity_create / opportunity_update.")

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in OPPORTUNITY_FIELDSETS]

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        # Checked here too, so the stale-page message shows instead of the date rows' complaints
        # about a list of dates that changed underneath; the service re-checks under its lock.
        editable = self.instance.status in services.EDITABLE_STATUSES  # else the service says why not
        if self.instance.pk and editable and version and version != self.instance.updated_at:
            self.add_error(None, str(services.STALE_EDIT_MESSAGE))
        return cleaned

    def clean_languages(self) -> list[str]:
        chosen = set(self.cleaned_data["languages"])
        return [code for code, _label in LANGUAGE_CHOICES if code in chosen]

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for the services: every editable field, plus the tags."""
        data = self.cleaned_data
        kwargs = {name: data[name] for name in services.EDITABLE_FIELDS if name in data and name != "image"}
        image = data.get("image")
        if image is False:  # "Clear" was ticked.
            kwargs["image"] = ""
        elif isinstance(image, UploadedFile):
            kwargs["image"] = image
        kwargs["audiences"] = list(data["audiences"])
        kwargs["accessibility"] = list(data["accessibility"])
        if self.instance.pk and data.get("version"):
            kwargs["expected_version"] = data["version"]
        return kwargs


class SessionForm(forms.Form):
    """One date of the opportunity: a day, a start and an optional end time in Japan time."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    date = bounds.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(
        label=_("Ends"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_date = bounds.DateField(
        label=_("Ends on a later day"),
        required=False,
        help_text=_("Only for a date that runs over several days, such as an exhibition."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    venue = forms.TypedChoiceField(label=_("Venue, if different"), coerce=int, empty_value=None, required=False)
    note = forms.CharField(label=_("Note for this date"), max_length=200, required=False)

    def __init__(self, *args, venue_choices: list[tuple[Any, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = venue_choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("end_date") and not cleaned.get("end_time"):
            self.add_error("end_time", _("Give the time it ends on that day."))
        return cleaned

    def spec(self, *, known_ids: set[int]) -> services.SessionSpec:
        data = self.cleaned_data
        starts_at = _local(data["date"], data["start_time"])
        end_day = data["end_date"] or data["date"]
        ends_at = _local(end_day, data["end_time"]) if data["end_time"] else None
        return services.SessionSpec(
            starts_at=starts_at,
            ends_at=ends_at,
            venue_id=data["venue"],
            note=data["note"].strip(),
            # An id that is not one of this opportunity's dates makes a new date.
            id=data["id"] if data["id"] in known_ids else None,
        )


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time).replace(tzinfo=LOCAL_ZONE)


class BaseSessionFormSet(forms.BaseFormSet):
    def __init__(self, *args, provider: Organization, known_ids: Iterable[int] = (), **kwargs):
        self.known_ids = set(known_ids)
        # One query for every row's venue list, however many rows there are.
        self.venue_choices = [
            ("", _("Same as the opportunity")),
            *venue_choices_for(provider).values_list("pk", "name"),
        ]
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "venue_choices": self.venue_choices}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this date")

    def specs(self) -> list[services.SessionSpec]:
        """The dates to keep or add; call after is_valid(). Ticked and untouched rows are left out."""
        specs = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            specs.append(form.spec(known_ids=self.known_ids))
        return specs


SessionFormSet = forms.formset_factory(
    SessionForm, formset=BaseSessionFormSet, extra=3, can_delete=True, can_delete_extra=False
)


def session_initial(sessions: Iterable[Session]) -> list[dict[str, Any]]:
    rows = []
    for session in sessions:
        start = timezone.localtime(session.starts_at, LOCAL_ZONE)
        end = timezone.localtime(session.ends_at, LOCAL_ZONE) if session.ends_at else None
        rows.append({
            "id": session.pk, "date": start.date(), "start_time": start.time(),
            "end_time": end.time() if end else None,
            "end_date": end.date() if end and end.date() != start.date() else None,
            "venue": session.venue_id, "note": session.note,
        })  # fmt: skip
    return rows


class RepeatForm(forms.Form):
    """Dates such as "every Tuesday for 6 weeks": the first date, its times and the number of weeks."""

    first_date = bounds.DateField(
        label=_("First date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = forms.TimeField(
        label=_("Starts"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    repeat_weeks = forms.IntegerField(
        label=_("Repeat weekly for how many weeks"),
        required=False,
        # As services.weekly_session_specs, which says so again.
        min_value=1,
        max_value=104,
        error_messages={
            "min_value": _("Repeat between 1 and 104 weeks."),
            "max_value": _("Repeat between 1 and 104 weeks."),
        },
        help_text=_("Counting the first date: 6 gives six dates, one a week on the same weekday."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def is_used(self) -> bool:
        return any(self.cleaned_data.get(name) not in (None, "") for name in self.fields)

    def clean(self):
        data = super().clean()
        if self.is_used():
            for name in ("first_date", "start_time", "repeat_weeks"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Fill this in to add repeating dates, or empty the other boxes."))
        return data

    def specs(self) -> list[services.SessionSpec]:
        """The repeated dates, or none when the helper was left empty; call after is_valid().
        Raises RuleViolation(field="repeat_weeks") for an unreasonable number of weeks."""
        if not self.is_used():
            return []
        data = self.cleaned_data
        first = _local(data["first_date"], data["start_time"])
        duration = _local(data["first_date"], data["end_time"]) - first if data["end_time"] else None
        specs = services.weekly_session_specs(first_starts_at=first, duration=duration, weeks=data["repeat_weeks"])
        return specs


class ReasonForm(forms.Form):
    """The reason given for a workflow action (withdraw, cancel); the services say when it is needed."""

    reason = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, action: str, label: str, **kwargs):
        super().__init__(*args, prefix=action, **kwargs)
        self.fields["reason"].label = label


class OpportunityEditor:
    """The opportunity form, its dates and the repeat helper, validated and shown as one page."""

    def __init__(
        self, data=None, files=None, *, provider: Organization, opportunity: LearningOpportunity | None = None
    ):
        sessions = list(opportunity.sessions.all()) if opportunity else []
        self.form = OpportunityForm(data, files, instance=opportunity, provider=provider)
        self.sessions = SessionFormSet(
            data,
            prefix="sessions",
            initial=session_initial(sessions),
            provider=provider,
            known_ids={s.pk for s in sessions},
        )
        self.repeat = RepeatForm(data, prefix="repeat")

    def is_valid(self) -> bool:
        # Validate all three, so every message shows at once.
        return all([self.form.is_valid(), self.sessions.is_valid(), self.repeat.is_valid()])

    def service_kwargs(self) -> dict[str, Any]:
        """Arguments for opportunity_create/opportunity_update; call after is_valid(). May raise
        RuleViolation from the repeat helper."""
        return {**self.form.service_kwargs(), "sessions": [*self.sessions.specs(), *self.repeat.specs()]}

    def add_violation(self, violation: RuleViolation) -> None:
        """Show a refused rule next to the part of the page it concerns."""
        if violation.field == "sessions":
            self.sessions.non_form_errors().append(violation.message)
        elif violation.field in self.repeat.fields:
            add_rule_violation(self.repeat, violation)
        else:
            add_rule_violation(self.form, violation)

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for every message on the page, for a summary at the top that
        links to each; the label names the field, and the date row or helper it is in."""
        items = [("opportunity-form", "", message) for message in self.form.non_field_errors()]
        items += [("sessions", str(_("Dates")), message) for message in self.sessions.non_form_errors()]
        parts = [(self.form, None), (self.repeat, _("Add several dates at once"))]
        parts += [(form, _("Date %(n)s") % {"n": n}) for n, form in enumerate(self.sessions.forms, start=1)]
        for form, part in parts:
            for name, messages in form.errors.items():
                if name == "__all__":
                    items += [(form.prefix or "opportunity-form", str(part or ""), m) for m in messages]
                    continue
                bound = form[name]
                anchor = bound.id_for_label or f"{bound.auto_id}_0"
                label = _("%(part)s: %(field)s") % {"part": part, "field": bound.label} if part else bound.label
                items += [(anchor, str(label), message) for message in messages]
        return items
