"""The public catalogue's filter form: checks the shape of GET parameters, builds a CatalogQuery."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manabiya.core.models import Municipality

from .models import AccessibilityFeature, Audience, Category, Format, TimeOfDay
from .selectors import CatalogQuery

WEEKDAYS = [
    (1, _("Mon")), (2, _("Tue")), (3, _("Wed")), (4, _("Thu")), (5, _("Fri")), (6, _("Sat")), (7, _("Sun")),
]  # fmt: skip


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=100)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    category = forms.ChoiceField(label=_("Topic"), required=False)
    audience = forms.ChoiceField(label=_("Life stage"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    weekday = forms.TypedMultipleChoiceField(
        label=_("Day of the week"),
        required=False,
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    time = forms.MultipleChoiceField(
        label=_("Time of day"), required=False, choices=TimeOfDay.choices, widget=forms.CheckboxSelectMultiple
    )
    fee = forms.ChoiceField(
        label=_("Fee"), required=False, choices=[("", _("Any")), ("free", _("Free")), ("paid", _("Paid"))]
    )
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[("", _("Any")), *Format.choices])
    childcare = forms.BooleanField(label=_("Childcare offered"), required=False)
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility support"), required=False, widget=forms.CheckboxSelectMultiple
    )
    open_now = forms.BooleanField(label=_("Accepting applications now"), required=False)
    venue = forms.IntegerField(required=False, widget=forms.HiddenInput)
    provider = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[("date", _("Date")), ("newest", _("Newest"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        self.fields["municipality"].choices = any_choice + list(Municipality.objects.values_list("code", "name"))
        categories = Category.objects.select_related("parent").order_by("parent__order", "parent_id", "order")
        tops = [c for c in categories if c.parent_id is None]
        self.fields["category"].choices = any_choice + [
            (top.label, [(top.slug, _("%(name)s (all)") % {"name": top.label})]
             + [(c.slug, c.label) for c in categories if c.parent_id == top.pk])
            for top in tops
        ]  # fmt: skip
        self.fields["audience"].choices = any_choice + [(a.slug, a.label) for a in Audience.objects.all()]
        self.fields["accessibility"].choices = [
            (f.slug, f.label) for f in AccessibilityFeature.objects.filter(scope=AccessibilityFeature.Scope.OPPORTUNITY)
        ]

    def to_query(self) -> CatalogQuery:
        """The query for valid input; invalid fields are dropped rather than failing the page."""
        if self.is_bound:
            self.is_valid()  # keeps the valid fields in cleaned_data, drops the rest
        data = getattr(self, "cleaned_data", {})
        return CatalogQuery(
            q=data.get("q") or "",
            municipality=data.get("municipality") or "",
            category=data.get("category") or "",
            audience=data.get("audience") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            weekdays=data.get("weekday") or [],
            times=data.get("time") or [],
            fee=data.get("fee") or "",
            format=data.get("format") or "",
            childcare=bool(data.get("childcare")),
            accessibility=data.get("accessibility") or [],
            venue=data.get("venue"),
            provider=data.get("provider"),
            open_now=bool(data.get("open_now")),
            sort=data.get("sort") or "date",
        )
