"""Forms of the passport: their shape only; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manabiya.catalog.models import Category
from manabiya.core import bounds

from .models import Certification, CreditRule, LearningReport, Level, Programme, Stamp

DATE = forms.DateInput(attrs={"type": "date"})
# A level line's numbers, read as the Level's columns take them (tenths of a credit, a smallint).
_LEVEL_CREDITS = bounds.bounded_number_field(Level._meta.get_field("credits"))
_LEVEL_CATEGORIES = bounds.bounded_number_field(Level._meta.get_field("min_categories"), required=False)


class JoinForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kana = forms.CharField(label=_("Furigana"), max_length=200, required=False)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts_on = bounds.DateField(label=_("First day"), widget=DATE)
    ends_on = bounds.DateField(label=_("Last day"), widget=DATE)
    credit_rule = forms.ChoiceField(label=_("Credits are earned"), choices=CreditRule.choices)
    credits_per_unit = bounds.bounded_number_field(
        Programme._meta.get_field("credits_per_unit"), label=_("Credits per session, hour or opportunity"), initial=1
    )
    counts_volunteering = forms.BooleanField(
        label=_("Volunteer activity earns credits"),
        required=False,
        help_text=_("Each volunteer activity logged in the talent bank: per hour, or one unit, by the credit rule."),
    )
    levels = forms.CharField(
        label=_("Levels"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One level per line: name, credits needed, different categories needed (optional), title (optional). "
            "e.g. 初級, 10 / 中級, 30, 2 / 上級, 60, 3, ちとせ学びマスター"
        ),
    )

    def clean_levels(self) -> list[dict]:
        levels, problems = [], []
        for number, line in enumerate(self.cleaned_data["levels"].splitlines(), start=1):
            parts = [part.strip() for part in line.replace("，", ",").replace("、", ",").split(",")]
            if not any(parts):
                continue
            try:
                name = parts[0]
                credits = _LEVEL_CREDITS.clean(parts[1] if len(parts) > 1 else "")
                categories = _LEVEL_CATEGORIES.clean(parts[2] if len(parts) > 2 else "") or 0
            except forms.ValidationError:
                problems.append(_("Line %(n)s: give a name and the credits needed.") % {"n": number})
                continue
            if not name or credits <= 0:
                problems.append(_("Line %(n)s: give a name and the credits needed.") % {"n": number})
                continue
            levels.append(
                {
                    "name": name,
                    "credits": credits,
                    "min_categories": categories,
                    "title": parts[3] if len(parts) > 3 else "",
                }
            )
        if problems:
            raise forms.ValidationError(problems)
        if not levels:
            raise forms.ValidationError(_("Give at least one level."))
        if len({level["name"] for level in levels}) != len(levels):
            raise forms.ValidationError(_("Each level needs its own name."))
        return levels


class CardCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Passport card or number"),
        max_length=300,
        help_text=_("Scan the QR code on the passport card, or type the number printed on it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )


class CounterStampForm(forms.Form):
    reason = forms.CharField(label=_("Why it is entered by hand"), max_length=300)
    session = forms.TypedChoiceField(label=_("Course and date"), coerce=int, required=False, empty_value=None)
    title = forms.CharField(label=_("Or: what was learned elsewhere"), max_length=200, required=False)
    earned_on = bounds.DateField(label=_("Learned on"), widget=DATE, required=False)
    credits = bounds.bounded_number_field(Stamp._meta.get_field("credits"), label=_("Credits"), required=False)

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", "—"), *sessions]


class ReportForm(forms.ModelForm):
    class Meta:
        model = LearningReport
        formfield_callback = bounds.formfield
        fields = ["title", "place", "learned_on", "hours", "category", "note", "photo"]
        widgets = {"learned_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(parent__isnull=True)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=300)


class CertificationForm(forms.ModelForm):
    class Meta:
        model = Certification
        formfield_callback = bounds.formfield
        fields = ["name", "training", "criteria"]
        widgets = {"criteria": forms.Textarea(attrs={"rows": 3})}


class GrantForm(forms.Form):
    email = forms.EmailField(label=_("The person's email address (their account)"))
    name = forms.CharField(label=_("Name on the certificate"), max_length=100)


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label=_("Credential (VC-JWT)"), widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"})
    )
