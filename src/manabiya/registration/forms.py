"""The application form, for citizens online and for staff at the counter. Shape only: the
rules (capacity, eligibility, deadlines) are the services'."""

import re
import secrets
import unicodedata

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from manabiya.core import bounds
from manabiya.core.models import Municipality

from .models import AgeBand, ApplicationRules, CitizenProfile, Residency, katakana
from .services import ApplicantSpec, ApplicationSpec, PersonSpec

# Hiragana → katakana, so フリガナ typed in hiragana (the phone's default) is accepted as meant.
_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def as_katakana(text: str) -> str:
    """「ﾔﾏﾀﾞ」「やまだ」 → 「ヤマダ」: width folded, hiragana made katakana."""
    return unicodedata.normalize("NFKC", text).translate(_TO_KATAKANA).strip()


class KatakanaField(forms.CharField):
    default_validators = [katakana]

    def to_python(self, value):
        return as_katakana(super().to_python(value))


def _date_label(session, availability) -> str:
    when = date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
    if availability.seats_left is None:
        return f"{when} — {availability.label}"
    left = ngettext("%(n)d place left", "%(n)d places left", availability.seats_left) % {"n": availability.seats_left}
    return f"{when} — {availability.label} ({left})"


def _ages(text: str) -> list[int]:
    """「2, 4」「２、４」 → [2, 4]: any digits, any separator, full width or half."""
    folded = unicodedata.normalize("NFKC", text)
    for separator in "、，,・/ ":
        folded = folded.replace(separator, " ")
    return [int(part) for part in folded.split() if part]


# What secrets.token_urlsafe makes, within Application.request_key's 64 characters.
_REQUEST_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")

ABOUT_YOU = ["name", "name_kana", "age", "email", "phone", "age_band", "municipality", "residency"]


class ApplicationForm(forms.Form):
    """Applicant details (saved to the citizen's profile), the people coming, childcare, questions.

    `rules` decides which fields there are: companions up to the party limit, ages when asked,
    childcare when offered, one field per question.
    """

    name = forms.CharField(label=_("Name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    name_kana = KatakanaField(label=_("Furigana (katakana)"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    age_band = forms.ChoiceField(label=_("Age"), choices=[("", "—"), *AgeBand.choices], required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality you live, work or study in"), queryset=Municipality.objects.all(), required=False
    )
    # No choice made for the applicant: saying they live here by default would decide eligibility.
    residency = forms.ChoiceField(label=_("Do you live, work or study there?"), choices=[("", "—"), *Residency.choices])
    # Made by the form (see __init__); it only keeps a double click from applying twice.
    request_key = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    def __init__(self, *args, rules: ApplicationRules, opportunity, counter=False, email="", dates=(), **kwargs):
        """`dates`: (session, Availability) pairs, where each date takes its own applications."""
        super().__init__(*args, **kwargs)
        self.dates = {session.pk: session for session, _availability in dates}
        if dates:
            self.fields["session"] = forms.TypedChoiceField(
                label=_("Date"),
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(session.pk, _date_label(session, availability)) for session, availability in dates],
            )
        self.account_email = email
        self.rules = rules
        self.opportunity = opportunity
        self.counter = counter
        if not self.is_bound:
            self.initial.setdefault("request_key", secrets.token_urlsafe(24))
            # Most applicants live, work or study where the course is; a profile says otherwise.
            self.initial.setdefault("municipality", opportunity.municipality_id)
        ask_ages = rules.asks_participant_ages or opportunity.age_min is not None or opportunity.age_max is not None
        self.ask_ages = ask_ages
        if ask_ages:
            self.fields["age"] = forms.IntegerField(label=_("Your age"), min_value=0, max_value=120)
        for i in range(1, rules.max_party_size):
            self.fields[f"companion_{i}_name"] = forms.CharField(
                label=_("Person %(n)d coming with you: name") % {"n": i}, max_length=100, required=False
            )
            if ask_ages:
                self.fields[f"companion_{i}_age"] = forms.IntegerField(
                    label=_("Person %(n)d: age") % {"n": i}, min_value=0, max_value=120, required=False
                )
        if opportunity.childcare_offered:
            self.fields["childcare_ages"] = forms.CharField(
                label=_("Childcare: ages of the children (e.g. 2, 4)"),
                help_text=_("Leave empty if you need no childcare."),
                max_length=60,
                required=False,
            )
        for i, question in enumerate(rules.questions):
            self.fields[f"answer_{i}"] = forms.CharField(
                label=question, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
            )
        if not counter:
            del self.fields["email"]  # an account's own address, where its messages go
        else:
            self.fields["email"].help_text = _("Leave empty for someone without email; give a phone number.")
            self.fields["first_time"] = forms.BooleanField(label=_("First time applying"), required=False)
        self.order_fields(ABOUT_YOU)

    def date_fields(self):
        return [self["session"]] if "session" in self.fields else []

    def chosen_session(self):
        return self.dates.get(self.cleaned_data.get("session"))

    def about_you(self):
        return [self[name] for name in ABOUT_YOU if name in self.fields]

    def the_rest(self):
        return [f for f in self.visible_fields() if f.name not in ABOUT_YOU and f.name != "session"]

    def clean_request_key(self) -> str:
        """A key this form did not make (too long for its column, other characters, none) is
        replaced by a fresh one: a made-up key protects nothing, and is no reason to refuse."""
        key = self.cleaned_data.get("request_key", "")
        if _REQUEST_KEY.fullmatch(key):
            return key
        return secrets.token_urlsafe(24)

    def clean_childcare_ages(self) -> list[int]:
        try:
            return _ages(self.cleaned_data.get("childcare_ages", ""))
        except ValueError:
            raise forms.ValidationError(_("Write the ages as numbers, separated by commas.")) from None

    def clean(self):
        data = super().clean()
        for i in range(1, self.rules.max_party_size):
            if self.ask_ages and data.get(f"companion_{i}_name") and data.get(f"companion_{i}_age") is None:
                self.add_error(f"companion_{i}_age", _("Give this person's age."))
        return data

    def applicant(self) -> ApplicantSpec:
        data = self.cleaned_data
        municipality = data.get("municipality")
        return ApplicantSpec(
            name=data["name"],
            name_kana=data["name_kana"],
            email=data.get("email") or self.account_email,
            phone=data.get("phone", ""),
            residency=data["residency"],
            municipality_id=municipality.pk if municipality else None,
            first_time=data.get("first_time", False),
        )

    def spec(self) -> ApplicationSpec:
        data = self.cleaned_data
        people = [PersonSpec(name=data["name"], age=data.get("age"))]
        for i in range(1, self.rules.max_party_size):
            if data.get(f"companion_{i}_name"):
                people.append(PersonSpec(name=data[f"companion_{i}_name"], age=data.get(f"companion_{i}_age")))
        answers = {q: data.get(f"answer_{i}", "") for i, q in enumerate(self.rules.questions)}
        return ApplicationSpec(participants=people, childcare_ages=data.get("childcare_ages") or [], answers=answers)

    def profile_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "name_kana": data["name_kana"],
            "phone": data.get("phone", ""),
            "age_band": data.get("age_band", ""),
            "municipality": data.get("municipality"),
            "residency": data["residency"],
        }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code or scanned QR text"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}),
    )


class WalkInForm(forms.Form):
    people = forms.IntegerField(label=pgettext_lazy("how many", "People"), min_value=1, max_value=999, initial=1)
    name = forms.CharField(label=_("Name (optional)"), max_length=100, required=False)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))


class RulesForm(forms.ModelForm):
    """The provider's settings for how an opportunity takes applications; questions one per line."""

    questions_text = forms.CharField(
        label=_("Questions to applicants (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = ApplicationRules
        formfield_callback = bounds.formfield
        fields = [
            "max_party_size", "asks_participant_ages", "residents_only", "per_session", "cancel_until_hours",
            "first_timers_first",
            "confirm_within_hours", "first_come_after_draw",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["max_party_size"].widget.attrs.update({"min": 1, "max": 10})
        self.initial.setdefault("questions_text", "\n".join(self.instance.questions or []))

    def clean_max_party_size(self) -> int:
        size = self.cleaned_data["max_party_size"]
        if not 1 <= size <= 10:
            raise forms.ValidationError(_("Between 1 and 10 people."))
        return size

    def save(self, commit: bool = True):
        self.instance.questions = [q.strip() for q in self.cleaned_data["questions_text"].splitlines() if q.strip()]
        return super().save(commit=commit)


class ProfileForm(forms.ModelForm):
    """What the application form fills in for the citizen; kept on My page."""

    class Meta:
        model = CitizenProfile
        formfield_callback = bounds.formfield
        fields = ["name", "name_kana", "phone", "age_band", "area", "municipality", "residency"]
        field_classes = {"name_kana": KatakanaField}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
