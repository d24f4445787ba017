"""My page shows the citizen's coming facility bookings beside their applications."""

from django import template
from django.utils import timezone

from .. import selectors

register = template.Library()


@register.inclusion_tag("facilities/_bookings.html", takes_context=True)
def my_bookings(context):
    today = timezone.localdate()
    user = context["request"].user
    return {
        "bookings": list(selectors.bookings_of(user=user, upcoming_from=today)[:20]),
        "today": today,
        "csrf_token": context.get("csrf_token"),
    }
