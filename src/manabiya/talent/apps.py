from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "manabiya.talent"
    label = "talent"
    verbose_name = _("Talent bank and delivery lectures")
