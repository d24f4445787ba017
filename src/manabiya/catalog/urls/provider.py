from django.urls import path

from ..views import provider

urlpatterns = [
    path("manage/", provider.provider_dashboard, name="provider_dashboard"),
    path(
        "manage/organizations/<int:org_pk>/opportunities/new/",
        provider.opportunity_create,
        name="opportunity_create",
    ),
    path("manage/opportunities/<int:pk>/edit/", provider.opportunity_edit, name="opportunity_edit"),
    path("manage/opportunities/<int:pk>/submit/", provider.opportunity_submit, name="opportunity_submit"),
    path("manage/opportunities/<int:pk>/withdraw/", provider.opportunity_withdraw, name="opportunity_withdraw"),
    path("manage/opportunities/<int:pk>/cancel/", provider.opportunity_cancel, name="opportunity_cancel"),
    path("manage/opportunities/<int:pk>/reopen/", provider.opportunity_reopen, name="opportunity_reopen"),
]
