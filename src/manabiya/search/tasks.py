"""Background work of the search index (django-tasks; `manabiya db_worker` runs it)."""

from django_tasks import task

from . import registry
from .services import index_objects, prune_ended, rebuild


@task()
def rebuild_task(*, municipality_id: int | None = None) -> dict[str, int]:
    """Rebuild every indexed kind, for one municipality or all of them."""
    return {kind: rebuild(kind=kind, municipality_id=municipality_id) for kind in registry.names()}


@task()
def index_task(*, kind: str, object_ids: list[int]) -> int:
    """Bring these objects' documents up to date with the database as it is now."""
    return index_objects(kind=kind, object_ids=object_ids)


@task()
def prune_task() -> int:
    """Drop the documents of things that are over; see `services.prune_ended`."""
    return prune_ended()
