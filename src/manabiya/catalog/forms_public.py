"""The public catalogue's filter form: checks the shape of GET parameters, builds a CatalogQuery,
shows how many results each choice leaves and says in words which filters are set."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from manabiya.core import bounds
from manabiya.core.models import Municipality, Organization

from .models import AccessibilityFeature, Audience, Category, Format, TimeOfDay, Venue
from .selectors import CatalogQuery

WEEKDAYS = [
    (1, _("Mon")), (2, _("Tue")), (3, _("Wed")), (4, _("Thu")), (5, _("Fri")), (6, _("Sat")), (7, _("Sun")),
]  # fmt: skip

SORTS = [("relevance", _("Relevance")), ("date", _("Date")), ("newest", _("Newest"))]

# Fields whose choices show a count; the keys are also those of catalog.facets.facet_counts.
COUNTED_CHOICES = ("municipality", "category", "audience", "weekday", "time", "fee", "format", "accessibility")
COUNTED_CHECKBOXES = ("childcare", "open_now")
# Filters that are not in the form's visible fields, but still narrow the results.
HIDDEN_FILTERS = {"venue": _("Venue"), "provider": _("Provider")}


def with_count(label, count: int, *, exact: bool = True) -> str:
    number = formats.number_format(count, force_grouping=True)
    if exact:
        # Translators: a filter choice with the number of results choosing it gives, e.g. "Sat (12)".
        return _("%(label)s (%(count)s)") % {"label": label, "count": number}
    # Translators: the same, when there are too many results to count exactly, e.g. "Sat (about 1,200)".
    return _("%(label)s (about %(count)s)") % {"label": label, "count": number}


def _counted_choices(choices, counts: dict[str, int], exact: bool) -> list:
    counted = []
    for value, label in choices:
        if isinstance(label, list | tuple):  # an option group
            counted.append((value, _counted_choices(label, counts, exact)))
        elif value in ("", None):  # "Any" counts nothing in particular
            counted.append((value, label))
        else:
            counted.append((value, with_count(label, counts.get(str(value), 0), exact=exact)))
    return counted


def _flat_choices(choices) -> dict[str, str]:
    flat = {}
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat.update(_flat_choices(label))
        else:
            flat[str(value)] = label
    return flat


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=100)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    category = forms.ChoiceField(label=_("Topic"), required=False)
    audience = forms.ChoiceField(label=_("Life stage"), required=False)
    date_from = bounds.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = bounds.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
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
    venue = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=bounds.ID_MAX)
    provider = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=bounds.ID_MAX)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=SORTS,
        help_text=_("Relevance: the best matches for the keyword first. Without a keyword, the soonest first."),
    )

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
        """The query for valid input; invalid fields are dropped rather than failing the page.

        The sort field then shows the order the results are really in: with a keyword and no
        choice, relevance; relevance without a keyword, the date order it falls back to.
        """
        if self.is_bound:
            self.is_valid()  # keeps the valid fields in cleaned_data, drops the rest
        data = getattr(self, "cleaned_data", {})
        query = CatalogQuery(
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
            sort=data.get("sort") or "",
        )
        if self.is_bound:
            self.data = self.data.copy()
            self.data["sort"] = query.effective_sort
        else:
            self.initial["sort"] = query.effective_sort
        return query

    def add_counts(self, facets: dict[str, dict[str, int]], *, exact: bool = True) -> None:
        """Label each choice with the number of results it leaves ("Sat (12)"), from facet_counts;
        estimates say so ("Sat (about 1,200)")."""
        for name in COUNTED_CHOICES:
            if name in facets:
                field = self.fields[name]
                field.choices = _counted_choices(field.choices, facets[name], exact)
        for name in COUNTED_CHECKBOXES:
            if name in facets:
                field = self.fields[name]
                field.label = with_count(field.label, facets[name].get("on", 0), exact=exact)
                self[name].label = field.label  # a bound form has already made its bound fields

    def active_filters(self) -> list[tuple[str, str, str]]:
        """The filters set, as (parameter, what it is, its value in words), in the form's order;
        the keyword and the sort order are not filters. Call before add_counts."""
        data = getattr(self, "cleaned_data", {})
        active = []
        for name, field in self.fields.items():
            value = data.get(name)
            if name in ("q", "sort") or value in (None, "", [], False):
                continue
            if name in HIDDEN_FILTERS:
                model = Venue if name == "venue" else Organization
                text = model.objects.filter(pk=value).values_list("name", flat=True).first() or str(value)
                active.append((name, str(HIDDEN_FILTERS[name]), text))
                continue
            if isinstance(field, forms.BooleanField):
                text = str(_("Yes"))
            elif isinstance(field, forms.DateField):
                text = formats.date_format(value, "SHORT_DATE_FORMAT")
            elif isinstance(field, forms.ChoiceField):
                labels = _flat_choices(field.choices)
                values = value if isinstance(value, list) else [value]
                # Translators: what separates the values of one filter in a list, e.g. "Mon, Tue".
                text = str(_(", ")).join(str(labels.get(str(v), v)) for v in values)
            else:
                text = str(value)
            active.append((name, str(field.label), text))
        return active
