from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_reference_data(sender, using, **kwargs):
    """Reload the reference data when a flush emptied it (transactional tests, `manabiya flush`).

    The data migration loads it on a new database; this only refills tables left empty.
    """
    from .models import AccessibilityFeature, Audience, Category
    from .reference import load_reference_data

    if not (Category.objects.using(using).exists() and Audience.objects.using(using).exists()):
        load_reference_data(Category=Category, Audience=Audience, AccessibilityFeature=AccessibilityFeature)


class CatalogConfig(AppConfig):
    name = "manabiya.catalog"
    label = "catalog"
    verbose_name = _("Learning catalogue")

    def ready(self) -> None:
        from manabiya.search import registry

        from . import signals
        from .search_documents import OPPORTUNITIES

        post_migrate.connect(restore_reference_data, sender=self)
        registry.register(OPPORTUNITIES)
        signals.connect()
