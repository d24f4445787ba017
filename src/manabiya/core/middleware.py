import re

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseForbidden
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .errors import PermissionDenied


class PermissionDeniedMiddleware:
    """Answer a service's PermissionDenied with 403 and its message, wherever a view lets it out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, PermissionDenied):
            body = render_to_string("403.html", {"message": exception.message}, request=request)
            return HttpResponseForbidden(body)
        return None


# No address needs a control character; in a path they reach logs, redirects and lookups.
REFUSED_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")
# PostgreSQL refuses NUL in any text it is given (SQLite cuts the text at it), so a NUL in a query
# parameter or a form field that a view reads without a form would fail the request with a 500.
# Other control characters are stored without harm, and may come from pasted text (a vertical tab
# from a word processor): they are let through, and exports drop what their format cannot hold.
REFUSED_IN_FIELDS = re.compile(r"\x00")
_FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refused_message() -> str:
    return _("The address or the form holds a control character (such as a NUL byte), which cannot be read.")


def has_refused_characters(request: HttpRequest) -> bool:
    """The request's path holds a control character, or a query or form field (name or value) a NUL."""
    if REFUSED_IN_PATH.search(request.path_info):
        return True
    sources = [request.GET]
    if request.method == "POST" and request.content_type in _FORM_CONTENT_TYPES:
        sources.append(request.POST)
    return any(
        REFUSED_IN_FIELDS.search(key) or any(REFUSED_IN_FIELDS.search(value) for value in values)
        for source in sources
        for key, values in source.lists()
    )


class ControlCharacterMiddleware:
    """Answer 400 to a request whose path holds a control character, or whose query parameters,
    form fields or cookies (their names or values) hold a NUL byte, before any view reads them.

    Django's form fields refuse NUL already; this covers what views read straight from the request
    (`?municipality=`, a cancellation's reason) and the session cookie, for every view at once. Put
    it after the authentication middleware, so the page shows who is logged in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        cookies = [name for name, value in request.COOKIES.items() if "\x00" in name or "\x00" in value]
        if not cookies and not has_refused_characters(request):
            return self.get_response(request)
        if cookies:
            # No cookie of this site holds a NUL; looking the session up by it would fail.
            request.session = request.session.__class__()
            request.user = AnonymousUser()
        body = render_to_string("400.html", {"message": refused_message()}, request=request)
        response = HttpResponseBadRequest(body)
        for name in cookies:
            response.delete_cookie(name)
        return response
