"""The applications' part of the catalogue's pages, so the catalogue need not know about them."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("registration/_apply_box.html", takes_context=True)
def apply_box(context, opportunity):
    """Availability and the way to apply, or the visitor's own application when there is one."""
    user = context["request"].user
    return {
        "opportunity": opportunity,
        "availability": selectors.availability(opportunity=opportunity),
        "mine": selectors.active_application(user=user, opportunity=opportunity),
        "user": user,
        "can_manage": context.get("can_manage", False),
    }


@register.simple_tag
def attach_availability(opportunities) -> str:
    """Give each opportunity of a list page its `availability`, in two queries for the page."""
    opportunities = list(opportunities)
    found = selectors.availability_many(opportunities=opportunities)
    for opportunity in opportunities:
        opportunity.availability = found[opportunity.pk]
    return ""
