"""The JSON API's answers to hostile input: documented 4xx with a JSON body, never a 5xx.

Each case here was a 500, an undocumented status or an HTML page before; schemathesis
(`test_api_schemathesis.py`) searches for more of them, these pin the ones found.
"""

import base64
import json

import pytest

from manabiya.api import api
from manabiya.core.api import MAX_ID

pytestmark = pytest.mark.django_db

NUL = "\x00"


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


def _refused(response) -> None:
    """400, from the site's middleware (its page) or, without it, from the API (JSON)."""
    assert response.status_code == 400, response.content[:200]
    if response["Content-Type"].startswith("application/json"):
        assert "control character" in response.json()["detail"]


def test_every_operation_documents_400_and_its_validation_errors():
    """Every operation's documented answers include 400 (a control character, refused here or by the
    site's middleware) and, when it takes input, 422 — each with its JSON error body."""
    schema = api.get_openapi_schema(path_prefix="/api/")
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {400, 422} if operation.get("parameters") or operation.get("requestBody") else {400}
            assert expected <= set(responses), (method, path, sorted(responses))
            for status in expected:
                ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.rsplit("/", 1)[-1] in components, (method, path, status)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/talent/profiles", {"q": NUL}),
        ("/api/talent/profiles", {"municipality": f"13210{NUL}"}),
        ("/api/opportunities", {"accessibility": NUL}),
        ("/api/opportunities", {"audience": f"seniors{NUL}"}),
        ("/api/opportunities", {"category": NUL}),
        ("/api/opportunities", {"q": f"書道{NUL}"}),
        ("/api/opportunities/suggestions", {"q": NUL}),
        ("/api/demae/topics", {"municipality": NUL}),
        ("/api/opportunities", {f"x{NUL}": "1"}),
    ],
)
def test_a_nul_in_the_query_string_is_refused_with_400(client, koganei, english, path, params):
    """A NUL (PostgreSQL cannot store or compare it) in any query value or name: 400 before any query
    runs, in the API's JSON when the site's middleware has not answered first."""
    _refused(client.get(path, params))


@pytest.mark.parametrize("path", ["/api/talent/figures/13%002101/2025", "/api/talent/figures/13%1b2101/2025"])
def test_a_control_character_in_the_path_is_refused_with_400(client, koganei, english, path):
    _refused(client.get(path))


def test_a_nul_is_refused_by_the_api_itself(rf, koganei, english):
    """Without the site's middleware the API refuses the NUL itself, in JSON."""
    from manabiya.core.api import reject_control_characters

    view = reject_control_characters(lambda request, **kwargs: pytest.fail("the operation ran"))
    for request, kwargs in [
        (rf.get("/api/talent/profiles", {"q": NUL}), {}),
        (rf.get("/api/talent/figures/13%002101/2025"), {"municipality_code": f"13{NUL}2101"}),
    ]:
        response = view(request, **kwargs)
        assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
        assert "control character" in json.loads(response.content)["detail"]


def test_other_control_characters_in_a_search_are_read_as_text(client):
    """Like the rest of the site, only NUL is refused in a query value: pasted text may hold others."""
    assert client.get("/api/talent/profiles", {"q": "\x1b[31m"}).status_code == 200
    assert client.get("/api/opportunities", {"q": "書道\x0b"}).status_code == 200


def test_a_control_character_in_a_presented_credential_is_422(client, english):
    response = client.post("/api/passport/verify", {"credential": f"a{NUL}b"}, content_type="application/json")
    assert response.status_code == 422
    assert _json(response)["detail"][0]["type"] == "control_character"


@pytest.mark.parametrize("kid", [f"k{NUL}1", "k\ud800"])
def test_a_presented_credential_with_nul_in_its_key_id_is_answered_invalid(client, kid):
    """The key id inside the token's header is looked up in the database: with a NUL or a lone
    surrogate in it, the credential is of an unknown key, not a server error."""
    header = base64.urlsafe_b64encode(json.dumps({"alg": "RS256", "kid": kid}).encode()).rstrip(b"=")
    token = f"{header.decode()}.e30.c2ln"
    response = client.post("/api/passport/verify", {"credential": token}, content_type="application/json")
    assert response.status_code == 200
    body = _json(response)
    assert body["valid"] is False and body["problems"] == ["unknown_key"]


def test_an_over_long_presented_credential_is_422(client):
    response = client.post("/api/passport/verify", {"credential": "a" * 100_001}, content_type="application/json")
    assert response.status_code == 422
    assert _json(response)["detail"][0]["type"] == "string_too_long"


@pytest.mark.parametrize("year", ["0", "-1", "1899", "3000", "9999", "69967679", str(2**70)])
def test_figures_of_a_fiscal_year_out_of_range_are_422(client, koganei, year):
    """Fiscal years run from 1900 to 2999; `/0` was a 500 (no year 0 in the calendar)."""
    response = client.get(f"/api/talent/figures/132101/{year}")
    assert response.status_code == 422
    assert _json(response)["detail"][0]["loc"] == ["path", "fiscal_year"]


def test_figures_of_a_fiscal_year_in_range_are_answered(client, koganei):
    assert client.get("/api/talent/figures/132101/2025").status_code == 200
    assert client.get("/api/talent/figures/132101/1900").status_code == 200
    assert client.get("/api/talent/figures/132101/2999").status_code == 200


def test_figures_of_an_unknown_or_malformed_municipality(client, koganei, english):
    """An unknown code is not found (JSON 404); one that is no 6-digit code is 422."""
    missing = client.get("/api/talent/figures/999999/2025")
    assert missing.status_code == 404 and _json(missing) == {"detail": "Not found."}
    assert client.get("/api/talent/figures/abc/2025").status_code == 422


@pytest.mark.parametrize(
    "params",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_from": "2999-12-31", "date_to": "9999-12-31"},
        {"date_to": "0"},
        {"date_from": "2025-04-01T00:00"},
        {"venue": str(MAX_ID + 1)},
        {"provider": "-1"},
        {"offset": str(2**64)},
        {"page": "0"},
        {"weekday": "8"},
        {"category": "x" * 61},
        {"accessibility": "手話"},
        {"q": "あ" * 101},
        {"limit": "101"},
        {"sort": "oldest"},
    ],
)
def test_catalogue_filters_out_of_range_are_422(client, params):
    """Dates the day arithmetic cannot take (9999-12-31 + 1 day was a 500), numbers beyond a
    database id, text longer or other than a slug: 422 with the parameter named."""
    response = client.get("/api/opportunities", params)
    assert response.status_code == 422, response.content
    assert _json(response)["detail"][0]["loc"][0] == "query"


def test_catalogue_blank_filters_of_the_page_form_are_still_read_as_absent(client):
    """The catalogue page's GET form sends empty fields; its query string works here too."""
    response = client.get(
        "/api/opportunities", {"date_from": "", "date_to": "", "venue": "", "provider": "", "sort": "", "page": ""}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/opportunities/0",
        f"/api/opportunities/{MAX_ID + 1}",
        "/api/opportunities/-5/availability",
        f"/api/opportunities/{2**80}/availability",
        f"/api/talent/profiles/{2**64}",
        "/api/passport/credentials/not-a-uuid/verification",
    ],
)
def test_ids_that_cannot_name_a_record_are_422(client, path):
    response = client.get(path)
    assert response.status_code == 422
    assert _json(response)["detail"][0]["loc"][0] == "path"


@pytest.mark.parametrize(
    "path",
    [
        "/api/opportunities/12345",
        "/api/opportunities/12345/availability",
        "/api/talent/profiles/12345",
        "/api/passport/credentials/6e8bc430-9c3a-11d9-9669-0800200c9a66/verification",
    ],
)
def test_a_record_that_does_not_exist_is_a_json_404(client, english, path):
    response = client.get(path)
    assert response.status_code == 404
    assert _json(response) == {"detail": "Not found."}


@pytest.mark.parametrize(("method", "path"), [("get", "/api/nothing-here"), ("post", "/api/opportunities/1/x/y")])
def test_a_path_under_the_api_that_names_no_operation_is_a_json_404(client, english, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert _json(response) == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/talent/profiles", {"q": "あ" * 101}),
        ("/api/talent/profiles", {"role": "admin"}),
        ("/api/talent/profiles", {"municipality": "koganei"}),
        ("/api/demae/topics", {"municipality": "13210"}),
        ("/api/opportunities/suggestions", {"limit": "21"}),
    ],
)
def test_talent_and_suggestion_filters_not_as_documented_are_422(client, path, params):
    """An unknown role was silently ignored and a malformed code answered 404: both are 422 now."""
    response = client.get(path, params)
    assert response.status_code == 422
    assert _json(response)["detail"][0]["loc"][0] == "query"


def test_an_unknown_municipality_filter_is_a_json_404(client, english):
    for path in ("/api/talent/profiles", "/api/demae/topics"):
        response = client.get(path, {"municipality": "999999"})
        assert response.status_code == 404
        assert _json(response) == {"detail": "Not found."}
