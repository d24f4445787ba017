from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from manabiya.core.admin import MunicipalityAdmin
from manabiya.core.admin_scoping import ALL_ACTIONS, CoordinatorPermissionsMixin
from manabiya.core.audit import log_action

from .models import Synonym
from .tasks import rebuild_task


@admin.register(Synonym)
class SynonymAdmin(CoordinatorPermissionsMixin, admin.ModelAdmin):
    """Coordinators of any municipality keep the region's synonym sets; every edit is audited."""

    coordinator_actions = ALL_ACTIONS
    list_display = ("words", "updated_at")
    search_fields = ("words",)


@admin.action(description=_("Rebuild the search index for these municipalities"))
def rebuild_search_index(modeladmin, request: HttpRequest, queryset) -> None:
    for municipality in queryset:
        rebuild_task.enqueue(municipality_id=municipality.pk)
        log_action(actor=request.user, action="search.rebuild", target=municipality, municipality=municipality)
    modeladmin.message_user(
        request,
        ngettext(
            "The search index of %(count)d municipality will be rebuilt in the background.",
            "The search index of %(count)d municipalities will be rebuilt in the background.",
            queryset.count(),
        )
        % {"count": queryset.count()},
        messages.SUCCESS,
    )


# The municipality page is where a coordinator looks after a municipality's data; the search app
# adds its one maintenance action there.
MunicipalityAdmin.actions = [*(MunicipalityAdmin.actions or []), rebuild_search_index]
