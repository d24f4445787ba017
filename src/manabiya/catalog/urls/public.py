from django.urls import path

from ..views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("opportunities/", public.opportunity_list, name="opportunity_list"),
    path("opportunities/suggest/", public.suggest, name="suggest"),
    path("opportunities/<int:pk>/", public.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/calendar.ics", public.opportunity_ics, name="opportunity_ics"),
    path("providers/<int:pk>/", public.organization_detail, name="organization_detail"),
    path("venues/<int:pk>/", public.venue_detail, name="venue_detail"),
]
