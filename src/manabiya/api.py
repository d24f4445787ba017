"""The JSON API: one NinjaAPI, each app adds its router. OpenAPI schema at /api/openapi.json."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Status
from ninja.openapi.schema import OpenAPISchema

from manabiya.catalog.api import router as catalog_router
from manabiya.core.api import ErrorOut, ValidationErrorOut, not_found, reject_control_characters
from manabiya.passport.api import router as passport_router
from manabiya.registration.api import router as registration_router
from manabiya.talent.api import router as talent_router

REF = "#/components/schemas/{model}"


def _json(model: type[ErrorOut] | type[ValidationErrorOut], description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}},
    }


def _control_character_response() -> dict:
    response = _json(ErrorOut, "A control character in the path, or a NUL in the query string.")
    # Answered before the API runs by the site's middleware, with its page; by the API without it.
    response["content"]["text/html"] = {"schema": {"type": "string"}}
    return response


class ManabiyaAPI(NinjaAPI):
    """A NinjaAPI whose every error is documented, and JSON where the API answers it.

    Every operation answers 400 to a control character in its path or a NUL in its query string —
    first from `core.middleware` (the site's page), or from the API itself (JSON) — and, if it takes
    any input, 422 to input that is not as its schema says; both are added to each operation's
    documented responses. Not found is a JSON 404, also for a path under the API that names no
    operation.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_decorator(reject_control_characters, mode="view")
        self.add_exception_handler(Http404, self._not_found)

    def _not_found(self, request: HttpRequest, exc: Http404) -> HttpResponse:
        return self.create_response(request, not_found(), status=404)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, ValidationErrorOut):
            definition = model.model_json_schema(ref_template=REF)
            components.update(definition.pop("$defs", {}))
            components[model.__name__] = definition
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                responses.setdefault(400, _control_character_response())
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault(422, _json(ValidationErrorOut, "Input not as documented."))
        return schema


api = ManabiyaAPI(
    title="Manabiya API",
    version="1",
    description="Public read API of the Manabiya lifelong-learning catalogue.",
    urls_namespace="api",
)
api.add_router("/", catalog_router)
api.add_router("/", registration_router)
api.add_router("/", passport_router)
api.add_router("/", talent_router)

# Added last, so it matches only what no operation above does.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False, response={404: ErrorOut}
)
def unknown(request: HttpRequest, rest: str):
    """A path under /api/ that names no operation: a JSON 404, like an unknown record."""
    return Status(404, not_found())


api.add_router("/", fallback)
