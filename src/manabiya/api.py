"""The JSON API: one NinjaAPI, each app adds its router. OpenAPI schema at /api/openapi.json."""

from ninja import NinjaAPI

from manabiya.catalog.api import router as catalog_router
from manabiya.passport.api import router as passport_router
from manabiya.registration.api import router as registration_router
from manabiya.talent.api import router as talent_router

api = NinjaAPI(
    title="Manabiya API",
    version="1",
    description="Public read API of the Manabiya lifelong-learning catalogue.",
    urls_namespace="api",
)
api.add_router("/", catalog_router)
api.add_router("/", registration_router)
api.add_router("/", passport_router)
api.add_router("/", talent_router)
