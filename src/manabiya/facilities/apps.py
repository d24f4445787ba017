from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "manabiya.facilities"
    label = "facilities"
    verbose_name = _("Facility reservation")

    def ready(self) -> None:
        from manabiya.core.accounts.mfa import staff_municipalities

        from .selectors import municipalities_staffed_by

        # Facility staff fall under their municipality's second-factor requirement, as coordinators do.
        staff_municipalities.append(municipalities_staffed_by)
