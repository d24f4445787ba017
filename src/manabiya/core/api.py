"""What every part of the JSON API shares: the error bodies, the input types with their bounds, and the
refusal of control characters.

Every error the API answers is JSON with a `detail`: a translated sentence (400, 404), or pydantic's
list of problems, one per field (422). The project's `ManabiyaAPI` documents 400 and 422 on every
operation; an operation declares its own 404 in `response={...}`.
"""

import datetime as dt
import re
from functools import wraps
from typing import Annotated, Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from .middleware import REFUSED_IN_PATH, has_refused_characters, refused_message

# A BigAutoField's range: a larger id cannot name a row, and the databases refuse to compare with it.
MAX_ID = 2**63 - 1

# Text read from a JSON body: no NUL, and no lone surrogate, which no database can store.
REFUSED_IN_TEXT = re.compile("[\x00\ud800-\udfff]")


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the reader's language.")


class ValidationProblemOut(Schema):
    type: str = Field(description="pydantic's error type, e.g. int_parsing, string_too_long, less_than_equal.")
    loc: list[str | int] = Field(description="Where: the parameter's place (query, path, body) and name.")
    msg: str


class ValidationErrorOut(Schema):
    detail: list[ValidationProblemOut] = Field(description="One entry per parameter that is not as documented.")


def _refuse_control_characters(value: str) -> str:
    if REFUSED_IN_TEXT.search(value):
        raise PydanticCustomError("control_character", refused_message())
    return value


# Text an operation reads: no NUL and no lone surrogate (422 from a body; a query's NUL is a 400 first).
Text = Annotated[str, AfterValidator(_refuse_control_characters)]


def _iso_date_only(value):
    # pydantic would also read a number as a Unix time and "2025-04-01T00:00" as a day: the schema says
    # a date is YYYY-MM-DD, so nothing else is one.
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise PydanticCustomError("date_parsing", _("Input should be a valid date, as YYYY-MM-DD."))
    return value


# A day, as YYYY-MM-DD only.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="A record's number.")]
MunicipalityCode = Annotated[
    str, Field(pattern=r"^[0-9]{6}$", description="全国地方公共団体コード (local government code), 6 digits.")
]
Slug = Annotated[str, Field(max_length=60, pattern=r"^[-a-zA-Z0-9_]*$", description="A slug, as in the pages' URLs.")]


def not_found() -> dict[str, str]:
    return {"detail": _("Not found.")}


def reject_control_characters(run):
    """Answer 400 before validation when the path holds a control character or a query parameter's
    name or value a NUL: what `core.middleware` answers to the rest of the site, in the API's JSON."""

    @wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any):
        # The middleware's rule, checked again so that the API is safe without it.
        if has_refused_characters(request) or any(REFUSED_IN_PATH.search(str(v)) for v in kwargs.values()):
            return JsonResponse({"detail": refused_message()}, status=400, json_dumps_params={"ensure_ascii": False})
        return run(request, *args, **kwargs)

    return checked
