"""Forms of the talent bank's public and citizen pages: their shape only; the rules are the services'."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from manabiya.catalog.models import Audience, Category, TimeOfDay
from manabiya.core import bounds
from manabiya.core.models import Municipality
from manabiya.registration.models import Residency

from .models import WEEKDAYS, LectureRequest, TalentProfile, Visibility

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
RANKS = {1: _("1st choice of date"), 2: _("2nd choice of date"), 3: _("3rd choice of date")}


def _category_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """The two-level categories as (大分類, [(小分類 id, label), …]): the second level is what is chosen,
    or a first-level category itself when it has none."""
    categories = list(Category.objects.select_related("parent"))
    groups: dict[int, tuple[str, list]] = {c.pk: (c.label, []) for c in categories if c.parent_id is None}
    for category in categories:
        if category.parent_id is not None:
            groups.setdefault(category.parent_id, (category.parent.label, []))[1].append((category.pk, category.label))
    for pk, (label, children) in groups.items():
        if not children:
            children.append((pk, label))
    return list(groups.values())


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Keyword"), max_length=100, required=False)
    role = forms.ChoiceField(
        label=_("Looking for"),
        required=False,
        choices=[
            ("", _("Instructors and volunteers")),
            ("instructor", _("Instructors")),
            ("volunteer", _("Volunteers")),
        ],
    )
    category = forms.TypedChoiceField(label=_("Field"), required=False, coerce=int, empty_value=None)
    municipality = forms.ModelChoiceField(
        label=_("City"), queryset=Municipality.objects.all(), to_field_name="code", required=False,
        empty_label=_("All cities"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All fields")), *_category_groups()]


class MunicipalityFilterForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("City"), queryset=Municipality.objects.all(), to_field_name="code", required=False,
        empty_label=_("All cities"),
    )  # fmt: skip


class ContactForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say who you are and what you would like to ask."),
    )


class LectureRequestForm(forms.Form):
    """A group's request for a lecture of the menu, with up to three candidate dates."""

    group_name = forms.CharField(label=_("Group name"), max_length=200)
    group_kind = forms.ChoiceField(label=_("Kind of group"), choices=LectureRequest.GroupKind.choices)
    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    contact_email = forms.EmailField(label=_("Email"))
    contact_phone = forms.CharField(label=_("Phone"), max_length=30)
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("Where the lecture is held: the hall or room and its address.")
    )
    expected_attendance = forms.IntegerField(label=_("Expected attendance"), min_value=1, max_value=10000)
    purpose = forms.CharField(label=_("Purpose and what you want to learn"), widget=forms.Textarea(attrs={"rows": 4}))
    date_1 = bounds.DateField(label=_("Date"), widget=DATE)
    start_1 = forms.TimeField(label=_("Starts"), widget=TIME)
    end_1 = forms.TimeField(label=_("Ends"), widget=TIME)
    date_2 = bounds.DateField(label=_("Date"), widget=DATE, required=False)
    start_2 = forms.TimeField(label=_("Starts"), widget=TIME, required=False)
    end_2 = forms.TimeField(label=_("Ends"), widget=TIME, required=False)
    date_3 = bounds.DateField(label=_("Date"), widget=DATE, required=False)
    start_3 = forms.TimeField(label=_("Starts"), widget=TIME, required=False)
    end_3 = forms.TimeField(label=_("Ends"), widget=TIME, required=False)
    note = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agrees_to_rules = forms.BooleanField(
        label=_("The lecture is not for a political, religious or commercial purpose."),
        error_messages={"required": _("Tick this box to send the request.")},
    )

    def date_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The candidate dates, one fieldset each: (legend, [date, start, end])."""
        return [(label, [self[f"date_{n}"], self[f"start_{n}"], self[f"end_{n}"]]) for n, label in RANKS.items()]

    def main_fields(self) -> list[forms.BoundField]:
        names = ("group_name", "group_kind", "contact_name", "contact_email", "contact_phone", "place",
                 "expected_attendance", "purpose")  # fmt: skip
        return [self[name] for name in names]

    def clean(self):
        data = super().clean()
        dates = []
        for n in RANKS:
            day, start, end = data.get(f"date_{n}"), data.get(f"start_{n}"), data.get(f"end_{n}")
            if any(f"{name}_{n}" in self.errors for name in ("date", "start", "end")):
                continue
            if day is None:
                if start or end:
                    self.add_error(f"date_{n}", _("Give the date too, or leave the times empty."))
                continue
            if start is None or end is None:
                self.add_error(f"start_{n}" if start is None else f"end_{n}", _("Give the start and the end."))
                continue
            if end <= start:
                self.add_error(f"end_{n}", _("The end comes after the start."))
                continue
            dates.append(
                (
                    timezone.make_aware(dt.datetime.combine(day, start)),
                    timezone.make_aware(dt.datetime.combine(day, end)),
                )
            )
        data["dates"] = dates
        return data

    def request_fields(self) -> dict:
        """What `services.request_submit` takes besides the user and the topic."""
        data = self.cleaned_data
        names = ("group_name", "group_kind", "contact_name", "contact_email", "contact_phone", "place",
                 "expected_attendance", "purpose", "note")  # fmt: skip
        return {"dates": data["dates"], "agrees_to_rules": data["agrees_to_rules"], **{n: data[n] for n in names}}


class LectureReportForm(forms.Form):
    """After the lecture: how many came, how it went (the group alone rates it)."""

    attendance = forms.IntegerField(label=_("Participants"), min_value=1, max_value=10000)
    rating = forms.TypedChoiceField(
        label=_("How was it (1 = poor, 5 = very good)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, with_rating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_rating:
            del self.fields["rating"]


class InvitationAnswerForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the coordinators"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VolunteerApplyForm(forms.Form):
    talent = forms.TypedChoiceField(label=_("Take part as"), coerce=int)

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].choices = [(p.pk, p.name) for p in registrations]


# --- the registration ----------------------------------------------------------------------------

# Each item the registrant chooses an audience for, and the form fields that hold it.
ITEM_FIELDS = TalentProfile.ITEM_FIELDS
ITEM_LABELS = {
    "name": _("Name"),
    "expertise": _("Fields of expertise and keywords"),
    "qualifications": _("Qualifications"),
    "biography": _("Short biography"),
    "topics": _("Topics you can teach or help with"),
    "audiences": _("Audiences"),
    "areas": _("Areas you can go to"),
    "availability": _("Days and times available"),
    "fee": pgettext_lazy("talent bank", "Fee"),
}
PROFILE_TEXT_FIELDS = ("name", "name_kana", "keywords", "qualifications", "biography", "topics", "areas",
                       "contact_email", "contact_phone")  # fmt: skip


def _model_field(name: str, **kwargs) -> forms.Field:
    return TalentProfile._meta.get_field(name).formfield(**kwargs)


class TalentProfileForm(forms.Form):
    """Register in (or edit a registration of) the talent bank, choosing who sees each item."""

    is_instructor = forms.BooleanField(label=_("Instructor or lecturer (講師)"), required=False)
    is_volunteer = forms.BooleanField(label=_("Volunteer (ボランティア)"), required=False)

    def __init__(self, *args, organizations=(), with_rules: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["name"] = _model_field("name")
        fields["name_kana"] = _model_field("name_kana")
        groups = _category_groups()
        self._category_parent = {str(pk): group for group, children in groups for pk, _label in children}
        fields["categories"] = forms.TypedMultipleChoiceField(
            label=_("Fields of expertise"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
            choices=[choice for _group, children in groups for choice in children],
        )  # fmt: skip
        fields["keywords"] = _model_field("keywords")
        fields["qualifications"] = _model_field("qualifications", widget=forms.Textarea(attrs={"rows": 3}))
        fields["biography"] = _model_field("biography", widget=forms.Textarea(attrs={"rows": 4}))
        fields["topics"] = _model_field("topics", widget=forms.Textarea(attrs={"rows": 3}))
        fields["audiences"] = forms.ModelMultipleChoiceField(
            label=_("Audiences"), queryset=Audience.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
        )
        fields["audiences"].label_from_instance = lambda audience: audience.label
        fields["areas"] = _model_field("areas")
        fields["weekdays"] = forms.TypedMultipleChoiceField(
            label=_("Days available"), choices=WEEKDAYS, coerce=int, required=False,
            widget=forms.CheckboxSelectMultiple,
        )  # fmt: skip
        fields["times"] = forms.MultipleChoiceField(
            label=_("Times available"), choices=TimeOfDay.choices, required=False, widget=forms.CheckboxSelectMultiple
        )
        fields["fee_policy"] = _model_field("fee_policy", widget=forms.RadioSelect)
        fields["fee_policy"].choices = [c for c in fields["fee_policy"].choices if c[0]]
        for item in TalentProfile.ITEMS:
            fields[f"visibility_{item}"] = forms.ChoiceField(
                label=_("Who sees “%(item)s”") % {"item": ITEM_LABELS[item]},
                choices=Visibility.choices,
                initial=TalentProfile.DEFAULT_VISIBILITY,
                widget=forms.RadioSelect,
            )
        fields["residency"] = forms.ChoiceField(
            label=_("In the city, you"),
            choices=[c for c in Residency.choices if c[0] != Residency.NONE],
            widget=forms.RadioSelect,
        )
        fields["contact_email"] = _model_field("contact_email")
        fields["contact_email"].help_text = _("Never shown to the public: messages reach you through the platform.")
        fields["contact_phone"] = _model_field("contact_phone")
        fields["contact_phone"].help_text = _("Only the coordinators see it.")
        organizations = list(organizations)
        if organizations:
            fields["organization"] = forms.TypedChoiceField(
                label=_("Register for"), coerce=int, required=False, empty_value=None,
                choices=[("", _("Myself")), *((o.pk, o.name) for o in organizations)],
                help_text=_("An organization you are a member of can register its staff."),
            )  # fmt: skip
            self._organizations = {o.pk: o for o in organizations}
        if with_rules:
            fields["agrees_to_rules"] = forms.BooleanField(
                label=_("I will not use the talent bank for political, religious or commercial purposes."),
                error_messages={"required": _("Tick this box to register.")},
            )

    @classmethod
    def initial_of(cls, profile: TalentProfile) -> dict:
        """The form's initial values for an existing registration."""
        initial = {name: getattr(profile, name) for name in PROFILE_TEXT_FIELDS}
        initial.update(
            is_instructor=profile.is_instructor,
            is_volunteer=profile.is_volunteer,
            categories=[c.pk for c in profile.categories.all()],
            audiences=[a.pk for a in profile.audiences.all()],
            weekdays=list(profile.weekdays),
            times=list(profile.times),
            fee_policy=profile.fee_policy,
            residency=profile.residency,
        )
        initial.update({f"visibility_{item}": profile.visibility_of(item) for item in TalentProfile.ITEMS})
        return initial

    def role_fields(self) -> list[forms.BoundField]:
        return [self["is_instructor"], self["is_volunteer"]]

    def items(self) -> list[dict]:
        """One group per item: its legend, its fields and, beside them, who sees it."""
        return [
            {
                "name": item,
                "legend": ITEM_LABELS[item],
                "fields": [self[name] for name in ITEM_FIELDS[item]],
                "visibility": self[f"visibility_{item}"],
            }
            for item in TalentProfile.ITEMS
        ]

    def category_groups(self) -> list[tuple[str, list]]:
        """The categories' checkboxes under their first-level headings."""
        groups: dict[str, list] = {}
        for widget in self["categories"].subwidgets:
            groups.setdefault(self._category_parent.get(str(widget.data["value"]), ""), []).append(widget)
        return list(groups.items())

    def other_fields(self) -> list[forms.BoundField]:
        names = ["residency", "contact_email", "contact_phone"]
        names = (["organization"] if "organization" in self.fields else []) + names
        return [self[name] for name in names]

    def profile_fields(self) -> dict:
        """What `services.profile_register` / `profile_update` take as the registration's fields."""
        data = self.cleaned_data
        fields = {name: data[name] for name in PROFILE_TEXT_FIELDS}
        fields.update(
            is_instructor=data["is_instructor"],
            is_volunteer=data["is_volunteer"],
            categories=list(Category.objects.filter(pk__in=data["categories"])),
            audiences=list(data["audiences"]),
            weekdays=sorted(data["weekdays"]),
            times=[t for t in TimeOfDay.values if t in data["times"]],
            fee_policy=data["fee_policy"],
            residency=data["residency"],
            visibility={item: data[f"visibility_{item}"] for item in TalentProfile.ITEMS},
        )
        return fields

    def organization(self):
        pk = self.cleaned_data.get("organization")
        return self._organizations.get(pk) if pk else None
