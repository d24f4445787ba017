"""Keep the search index in step with changes made outside the catalogue's services: the admin
correcting or deleting an opportunity, or renaming a provider, a venue, a category or a life stage
whose name is indexed with its opportunities.

An opportunity saved directly is re-indexed at once, in its transaction. A rename can touch
thousands of opportunities, so it queues re-indexing as background tasks; the task row commits
with the rename and the task reads the opportunities as they are when it runs, so no change is
lost whatever happens in between.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from manabiya.core.models import Organization
from manabiya.search.models import SearchDocument
from manabiya.search.services import index_later

from . import search_documents
from .models import PUBLIC_STATUSES, Audience, Category, LearningOpportunity, Venue

# Sent inside the cancellation's transaction (opportunity, actor, reason), so what other apps
# hold of the opportunity (applications) ends with it or not at all.
opportunity_cancelled = Signal()


def _forget_opportunity(sender, instance: LearningOpportunity, **kwargs) -> None:
    SearchDocument.objects.filter(kind=search_documents.KIND, object_id=instance.pk).delete()


def _reindex_opportunity(sender, instance: LearningOpportunity, raw: bool = False, **kwargs) -> None:
    if not raw:
        search_documents.reindex([instance.pk])


def _reindex_later(condition: Q) -> None:
    ids = LearningOpportunity.objects.filter(condition, status__in=PUBLIC_STATUSES).values_list("pk", flat=True)
    index_later(kind=search_documents.KIND, object_ids=sorted(set(ids)))


def _provider_saved(sender, instance: Organization, created: bool, raw: bool = False, **kwargs) -> None:
    if not created and not raw:
        _reindex_later(Q(provider=instance))


def _venue_saved(sender, instance: Venue, created: bool, raw: bool = False, **kwargs) -> None:
    if not created and not raw:
        _reindex_later(Q(venue=instance) | Q(sessions__venue=instance))


def _category_saved(sender, instance: Category, created: bool, raw: bool = False, **kwargs) -> None:
    if not created and not raw:
        _reindex_later(Q(category=instance) | Q(category__parent=instance))


def _audience_saved(sender, instance: Audience, created: bool, raw: bool = False, **kwargs) -> None:
    if not created and not raw:
        _reindex_later(Q(audiences=instance))


def connect() -> None:
    post_delete.connect(_forget_opportunity, sender=LearningOpportunity, dispatch_uid="search_forget_opportunity")
    post_save.connect(_reindex_opportunity, sender=LearningOpportunity, dispatch_uid="search_opportunity_saved")
    post_save.connect(_provider_saved, sender=Organization, dispatch_uid="search_provider_saved")
    post_save.connect(_venue_saved, sender=Venue, dispatch_uid="search_venue_saved")
    post_save.connect(_category_saved, sender=Category, dispatch_uid="search_category_saved")
    post_save.connect(_audience_saved, sender=Audience, dispatch_uid="search_audience_saved")
