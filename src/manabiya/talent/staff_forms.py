"""Forms of the coordinators' and organizations' staff pages. They check the shape of the input;
the services (`talent.services`) check the rules and write."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manabiya.catalog.forms_provider import LocalDateTimeField, grouped_category_choices
from manabiya.catalog.models import Category
from manabiya.core import bounds

from .models import LectureTopic, VolunteerNeed


class DecisionForm(forms.Form):
    """Approve or refuse a registration; the button pressed (`decision`) says which."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Needed to refuse; the registrant is emailed it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _NoModelSave:
    """Shaped like a ModelForm for its labels and initial values, but it never builds, validates or
    saves the model: pass `cleaned_data` to a service."""

    def _post_clean(self):
        # Leave the instance alone: the service sets, checks and saves it.
        pass

    def save(self, commit=True):
        raise NotImplementedError("Save through the service.")


class TopicForm(_NoModelSave, forms.ModelForm):
    """An item of the 出前講座 menu, for services.topic_save."""

    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=600, initial=90)
    min_group_size = forms.IntegerField(label=_("Minimum group size"), min_value=1, max_value=1000, initial=10)

    class Meta:
        model = LectureTopic
        formfield_callback = bounds.formfield
        fields = [
            "provider", "talent", "title", "description", "category", "audience", "duration_minutes",
            "min_group_size", "active",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, providers, talents, talent_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        if providers.count() == 1:
            self.fields["provider"].empty_label = None
        self.fields["talent"].queryset = talents
        self.fields["talent"].empty_label = _("None: the provider gives it")
        self.fields["talent"].label_from_instance = talent_label
        self.fields["talent"].help_text = _("An approved instructor registered in the provider's city.")
        self.fields["category"].choices = grouped_category_choices()


class InviteForm(forms.Form):
    """Ask one ranked candidate to give the lecture: each candidate's button posts its `talent`."""

    talent = forms.ModelChoiceField(label=_("Lecturer"), queryset=None, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message to the lecturer"),
        required=False,
        max_length=2000,
        help_text=_("Optional; sent with the request to whichever lecturer you ask."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, talents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = talents


class DecideForm(forms.Form):
    """The decision (決定) of a request, for services.request_decide."""

    date_rank = forms.TypedChoiceField(label=_("Date"), coerce=int, widget=forms.RadioSelect)
    listed_publicly = forms.BooleanField(
        label=_("List it in the public catalogue, so that anyone may come"), required=False
    )
    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=None,
        required=False,
        help_text=_("A venue registered in the city; needed to list the lecture publicly."),
    )
    note = forms.CharField(
        label=_("Note to the group"),
        required=False,
        max_length=2000,
        help_text=_("Sent with the decision notice (決定通知)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, dates, venues, warnings: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_rank"].choices = [(d.rank, date_label(d)) for d in dates]
        if len(dates) == 1:
            self.fields["date_rank"].initial = dates[0].rank
        self.fields["venue"].queryset = venues
        self.fields["venue"].empty_label = _("No venue (the group's own place)")
        if warnings:
            self.fields["warnings_seen"] = forms.BooleanField(
                label=_("I have weighed these warnings and decide all the same"),
                error_messages={"required": _("Confirm you have weighed the warnings before deciding.")},
            )


def date_label(date) -> str:
    start, end = timezone.localtime(date.starts_at), timezone.localtime(date.ends_at)
    return _("Choice %(rank)d: %(start)s–%(end)s") % {
        "rank": date.rank,
        "start": f"{start:%Y-%m-%d %H:%M}",
        "end": f"{end:%H:%M}" if start.date() == end.date() else f"{end:%Y-%m-%d %H:%M}",
    }


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, for the group"),
        max_length=2000,
        required=False,
        help_text=_("The group is emailed it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    """A coordinator's report of a lecture held (the group alone rates it)."""

    attendance = forms.IntegerField(label=_("Participants"), min_value=1, max_value=10000)
    note = forms.CharField(label=_("Report"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class FiguresForm(forms.Form):
    year = forms.IntegerField(
        label=_("Fiscal year"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("The year it starts in: April to March."),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        if len(municipalities) > 1:
            self.fields["municipality"] = forms.TypedChoiceField(
                label=_("Municipality"),
                coerce=int,
                choices=[(m.pk, m.name) for m in municipalities],
                required=False,
                empty_value=None,
            )


class NeedForm(_NoModelSave, forms.ModelForm):
    """A volunteer need, for services.need_post."""

    starts_at = LocalDateTimeField(label=_("Starts"), help_text=_("Japan time."))
    ends_at = LocalDateTimeField(label=_("Ends"), help_text=_("Japan time."))
    categories = forms.ModelMultipleChoiceField(
        label=_("Fields"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people_needed = forms.IntegerField(label=_("People needed"), min_value=1, max_value=1000)

    class Meta:
        model = VolunteerNeed
        formfield_callback = bounds.formfield
        fields = [
            "organization", "kind", "title", "description", "place", "area", "starts_at", "ends_at", "skills",
            "categories", "people_needed",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "area": _("The 地区 it happens in: volunteers who go there rank higher."),
            "skills": _("Separate with spaces."),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["categories"].choices = [group for group in grouped_category_choices() if group[0] != ""]


class LogForm(forms.Form):
    """After the activity: for each confirmed volunteer, took part or not, and the hours."""

    CHOICES = [("yes", _("Took part")), ("no", _("Did not take part"))]

    def __init__(self, *args, confirmed, default_hours: Decimal | None, **kwargs):
        """`confirmed`: (assignment, name shown) pairs."""
        super().__init__(*args, **kwargs)
        self.rows = []
        for assignment, name in confirmed:
            attended = {True: "yes", False: "no"}.get(assignment.attended, "yes")
            self.fields[f"attended_{assignment.pk}"] = forms.ChoiceField(
                label=_("%(name)s took part?") % {"name": name},
                choices=self.CHOICES,
                initial=attended,
                widget=forms.RadioSelect,
            )
            self.fields[f"hours_{assignment.pk}"] = forms.DecimalField(
                label=_("Hours of %(name)s") % {"name": name},
                min_value=Decimal("0.5"),
                max_value=Decimal("24"),
                max_digits=4,
                decimal_places=1,
                required=False,
                initial=assignment.hours if assignment.hours is not None else default_hours,
                help_text=_("Leave empty if not known."),
            )
            self.rows.append(assignment.pk)

    def entries(self) -> dict[int, tuple[bool, Decimal | None]]:
        data = self.cleaned_data
        return {pk: (data[f"attended_{pk}"] == "yes", data[f"hours_{pk}"]) for pk in self.rows}


def hours_between(start: dt.datetime, end: dt.datetime) -> Decimal | None:
    """The activity's length in hours, to the half hour: what each volunteer is logged by default."""
    hours = Decimal((end - start).total_seconds()) / 3600
    halves = (hours * 2).to_integral_value()
    return halves / 2 if Decimal("0.5") <= halves / 2 <= Decimal("24") else None
