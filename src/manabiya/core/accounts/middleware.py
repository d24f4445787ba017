"""The device cookie after a login, and the second factor before any staff page."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _lazy

from . import throttle
from .mfa import must_set_up_second_factor

# Every staff page lives under one of these (tests/core/test_staff_mfa.py walks the URL patterns to keep it
# so): the providers' and facility, passport and talent staff pages, the coordinators', the admin.
STAFF_PATH_PREFIXES = ("/manage/", "/coordinate/", "/admin/")
# Leaving must always work.
EXEMPT_PATHS = ("/admin/logout/",)
# Where the MFA index offers to go back to once a second factor is set up.
NEXT_SESSION_KEY = "staff_mfa_next"
REASON = _lazy(
    "Your municipality asks its staff to log in with a second factor. Set up an authenticator app or a security "
    "key to continue to the staff pages."
)


class LoginDeviceCookieMiddleware:
    """Set the device cookie `throttle.device_remember` prepared when the adapter logged someone in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        value = getattr(request, "login_device_cookie", None)
        if value:
            response.set_cookie(throttle.DEVICE_COOKIE, value, **throttle.cookie_kwargs())
        return response


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PATH_PREFIXES) and path not in EXEMPT_PATHS


class StaffSecondFactorMiddleware:
    """Send staff whose municipality asks for a second factor, and who have none yet, to set one up before
    any staff page; citizens' pages and the account pages stay open to them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_staff_path(request.path_info):
            return self.get_response(request)
        if must_set_up_second_factor(getattr(request, "user", None)):
            if request.method == "GET":
                # The MFA page explains why (templates/mfa/index.html) and, once set up, leads back.
                request.session[NEXT_SESSION_KEY] = request.get_full_path()
            else:
                messages.warning(request, REASON)
            return redirect("mfa_index")
        if NEXT_SESSION_KEY in request.session:
            del request.session[NEXT_SESSION_KEY]  # back at the staff pages: the way back is no longer offered
        return self.get_response(request)
