"""Catalogue URLs, one module per audience so each stays small."""

from . import coordinator, imports, provider, public

app_name = "catalog"
urlpatterns = [*public.urlpatterns, *provider.urlpatterns, *coordinator.urlpatterns, *imports.urlpatterns]
