from django.http import HttpRequest, HttpResponseForbidden
from django.template.loader import render_to_string

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
