"""allauth's adapters: every password check goes through the login throttle; the TOTP QR code fits the CSP."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django import forms

from . import throttle
from .mfa import SECOND_FACTORS, second_factor_required

logger = logging.getLogger("manabiya.accounts")


def _login_of(credentials: dict) -> str:
    return credentials.get("email") or credentials.get("username") or ""


class AccountAdapter(DefaultAccountAdapter):
    """allauth's login form, reauthentication and (through `secure_admin_login`) the admin's login all call
    `authenticate`, so one throttle covers them."""

    _login_attempt: throttle.Attempt | None = None

    def pre_authenticate(self, request, **credentials) -> None:
        # Replaces allauth's own `login_failed` limit: keyed by the email alone, it locked the owner out
        # along with whoever guessed; `throttle` keys failures by address, account and device.
        try:
            self._login_attempt = throttle.attempt_begin(request, _login_of(credentials))
        except throttle.Throttled as throttled:
            logger.warning("login throttled for %.0f s", throttled.wait)
            raise forms.ValidationError(throttled.message, code="too_many_login_attempts") from None

    def authenticate(self, request, **credentials):
        self._login_attempt = None
        user = super().authenticate(request, **credentials)
        if user is not None and self._login_attempt is not None:
            throttle.attempt_succeeded(self._login_attempt)
        return user

    def authentication_failed(self, request, **credentials) -> None:
        # The failure was counted when the attempt began (see `throttle.attempt_begin`).
        logger.info("login failed from %s", throttle.client_address(request))

    def login(self, request, user) -> None:
        super().login(request, user)
        emails = [user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)]
        throttle.device_remember(request, emails)

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        # Called after a password reset: whoever followed the emailed link owns the account.
        super()._delete_login_attempts_cached_email(request, **credentials)
        throttle.forget_account(_login_of(credentials))


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        # The activation page shows the QR code as inline SVG: a data: image would need `img-src data:`
        # in the Content-Security-Policy. Inline SVG in HTML takes no XML declaration.
        svg = super().build_totp_svg(url)
        return svg[svg.find("<svg") :]

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Staff whose municipality asks for a second factor keep at least one.
        if authenticator.type not in SECOND_FACTORS:
            return True
        others = Authenticator.objects.filter(user_id=authenticator.user_id, type__in=SECOND_FACTORS)
        if others.exclude(pk=authenticator.pk).exists():
            return True
        return not second_factor_required(authenticator.user)
