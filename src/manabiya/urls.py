from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve

from manabiya.api import api

# The admin's own login form would skip the login throttle and the second factor: send it to allauth's login,
# which comes back to the admin (`?next=`).
admin.site.login = secure_admin_login(admin.site.login)

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

# Uploads anyone may see; a learning report's photo (passport/reports/) is not one of them: only its
# view serves it, to its sender and the coordinators.
PUBLIC_MEDIA = ("opportunities", "facilities/rooms")


def development_media() -> list:
    """The public uploads, served by Django in development; production's web server serves the same
    folders only."""
    folders = "|".join(PUBLIC_MEDIA)
    # No "..": serve() would follow it out of the public folder into a private one.
    pattern = rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>(?:{folders})/(?!.*\.\.)[^\x00]+)$"
    return [re_path(pattern, serve, {"document_root": settings.MEDIA_ROOT})]


if settings.DEBUG:
    urlpatterns += development_media()
