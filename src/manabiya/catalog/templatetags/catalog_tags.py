from django import template
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def when(session) -> str:
    """「11月24日(火) 10:00〜12:00」 in Japanese, "Tue 24 Nov 10:00–12:00" in English."""
    start = timezone.localtime(session.starts_at)
    # Translators: PHP-style date format of a session's start (Django's date filter syntax).
    text = dateformat.format(start, _("D j M Y, H:i"))
    if session.ends_at:
        end = timezone.localtime(session.ends_at)
        same_day = end.date() == start.date()
        text += _("–") + dateformat.format(end, "H:i" if same_day else _("D j M Y, H:i"))
    return text


@register.filter
def yen(amount: int) -> str:
    if not amount:
        return _("Free")
    return _("¥%(amount)s") % {"amount": f"{amount:,}"}


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current GET query with some parameters changed: links for pagination and facets."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"
