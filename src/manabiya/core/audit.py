from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry, Municipality


def log_action(
    *,
    actor,
    action: str,
    target: models.Model,
    municipality: Municipality | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record who did `action` to `target` and why. Call inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        municipality=municipality,
        reason=reason,
        data=data or {},
    )


def history_for(target: models.Model):
    """Audit entries of one record, oldest first."""
    return (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )
