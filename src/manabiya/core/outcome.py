"""Glue between services and the small POST views that redirect: the outcome becomes a message
on the page the user lands on."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from .errors import RuleViolation


def act_and_tell(request: HttpRequest, action: Callable[[], object], *, done: str) -> bool:
    """Run `action`; tell the user `done`, or the rule it refused. Returns whether it went through."""
    try:
        action()
    except RuleViolation as violation:
        messages.error(request, violation.message)
        return False
    messages.success(request, done)
    return True
