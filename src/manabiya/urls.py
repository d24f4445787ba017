from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from manabiya.api import api

urlpatterns = [
    path("", include("manabiya.catalog.urls")),
    path("", include("manabiya.registration.urls")),
    path("", include("manabiya.passport.urls")),
    path("", include("manabiya.facilities.urls")),
    path("", include("manabiya.talent.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("manabiya.core.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
