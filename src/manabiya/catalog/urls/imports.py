from django.urls import path

from ..views import imports

urlpatterns = [
    path("coordinate/import/", imports.import_upload, name="import_upload"),
    path("coordinate/import/confirm/", imports.import_confirm, name="import_confirm"),
    path("coordinate/import/<uuid:job_id>/", imports.import_status, name="import_status"),
    path("opportunities/export.csv", imports.export_csv, name="export_csv"),
]
