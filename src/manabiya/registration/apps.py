from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _end_applications(sender, opportunity, actor, reason, **kwargs) -> None:
    from .services import opportunity_applications_cancel

    opportunity_applications_cancel(actor=actor, opportunity=opportunity, reason=reason)


class RegistrationConfig(AppConfig):
    name = "manabiya.registration"
    label = "registration"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from manabiya.catalog.signals import opportunity_cancelled

        opportunity_cancelled.connect(_end_applications, dispatch_uid="registration.end_applications")
