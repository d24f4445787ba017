"""Forms of the coordinator's review page. They check the shape of input; services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the record (optional)"),
        help_text=_("Kept in the status history of this opportunity."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What should the provider change?"),
        help_text=_("The provider sees this when the opportunity comes back to them."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what the provider should change.")},
    )
