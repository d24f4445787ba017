"""Forms of facility reservation: their shape only; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from manabiya.core import bounds

from .models import Booker, Booking

DATE = forms.DateInput(attrs={"type": "date"})


class BookerForm(forms.ModelForm):
    class Meta:
        model = Booker
        fields = Booker.DETAILS
        formfield_callback = bounds.formfield
        widgets = {"kind": forms.RadioSelect}


class BookingForm(forms.Form):
    booker = forms.TypedChoiceField(label=_("Book as"), coerce=int)
    date = bounds.DateField(label=_("Day of use"), widget=DATE)
    first_unit = forms.TypedChoiceField(label=_("From (time slot)"), coerce=int)
    last_unit = forms.TypedChoiceField(label=_("To (time slot)"), coerce=int)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    attendees = bounds.bounded_number_field(
        Booking._meta.get_field("attendees"), label=_("Expected attendees"), min_value=1
    )

    def __init__(self, *args, units=(), bookers=(), rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        if rooms:  # staff booking at the counter choose the room too
            self.fields["room"] = forms.TypedChoiceField(label=_("Room"), coerce=int, choices=list(rooms))
            self.order_fields(["booker", "room"])
        self.fields["booker"].choices = list(bookers)
        self.fields["first_unit"].choices = list(units)
        self.fields["last_unit"].choices = list(units)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_unit"), data.get("last_unit")
        if first is not None and last is not None and last < first:
            self.add_error("last_unit", _("The end comes after the start."))
        return data


class BlockForm(forms.Form):
    room = forms.TypedChoiceField(label=_("Room"), coerce=int)
    first_unit = forms.TypedChoiceField(label=_("From (time slot)"), coerce=int)
    last_unit = forms.TypedChoiceField(label=_("To (time slot)"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    cancel_bookings = forms.BooleanField(
        label=_("Cancel the bookings in the way (each booker is emailed the reason)"), required=False
    )

    def __init__(self, *args, rooms=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = list(rooms)
        self.fields["first_unit"].choices = list(units)
        self.fields["last_unit"].choices = list(units)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class WishForm(BookingForm):
    """A ranked wish: the booking form's fields and which wish it is."""

    rank = forms.TypedChoiceField(
        label=_("Which wish"), coerce=int, choices=[(1, _("1st wish")), (2, _("2nd wish")), (3, _("3rd wish"))]
    )
    room = forms.TypedChoiceField(label=_("Room"), coerce=int)

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = list(rooms)
        self.order_fields(["rank", "booker", "room"])


class LotteryOpenForm(forms.Form):
    month = bounds.DateField(
        label=_("Month of the lottery"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )
