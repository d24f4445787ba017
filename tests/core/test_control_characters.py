"""A NUL byte in a request (a control character in its path) is answered 400 with the site's page,
before any view reads it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/facilities/", {"municipality": "\x00"}),
        ("/facilities/export.csv", {"municipality": "13\x002101"}),
        ("/opportunities/export.csv", {"municipality": "\x00"}),
        ("/opportunities/", {"q": "講座\x00"}),
        ("/api/talent/profiles", {"q": "\x00"}),
        ("/api/opportunities", {"accessibility": "\x00"}),
        ("/facilities/", {"municipality\x00": "1"}),
    ],
)
def test_a_nul_in_a_query_parameter_is_a_bad_request(client, english, path, query):
    """NUL in a query parameter's value or name: 400 and a short message on the site's own page."""
    response = client.get(path, query)
    assert response.status_code == 400
    body = response.content.decode()
    assert "control character" in body
    assert 'class="site-header"' in body  # the site's layout, like its 403 and 404 pages


@pytest.mark.parametrize(
    "path", ["/passport/issuers/%00/", "/passport/issuers/%00/jwks.json", "/opportunities/%01/", "/talent/%0a/"]
)
def test_a_control_character_in_the_path_is_a_bad_request(client, english, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "control character" in response.content.decode()


def test_a_nul_in_a_posted_form_field_is_a_bad_request(client, citizen, english):
    """Urlencoded and multipart forms alike, whatever the view would have done with the field."""
    client.force_login(citizen)
    url = reverse("passport:verify_presented")
    assert client.post(url, {"credential": "abc\x00"}).status_code == 400
    assert client.post(url, {"credential\x00": "abc"}).status_code == 400
    encoded = "credential=abc%00"
    assert client.post(url, encoded, content_type="application/x-www-form-urlencoded").status_code == 400
    assert client.post(url, {"credential": "abc"}).status_code == 200


def test_other_control_characters_in_fields_pass(client):
    """A tab or a vertical tab (pasted from a word processor) is not refused: text columns take it."""
    assert client.get("/opportunities/", {"q": "講座\t\x0b"}).status_code == 200


def test_the_page_is_in_the_visitors_language(client):
    """The 400 page is rendered like the others, in the visitor's language."""
    response = client.get("/facilities/", {"municipality": "\x00"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 400
    assert '<html lang="ja">' in response.content.decode()


def test_a_nul_in_a_cookie_is_a_bad_request_and_the_cookie_is_dropped(client, english):
    """A session cookie holding a NUL would fail the session's lookup on PostgreSQL: 400, and the
    browser is told to forget the cookie."""
    response = client.get("/mypage/", HTTP_COOKIE="sessionid=abcdefgh\x00ijkl")
    assert response.status_code == 400
    assert "control character" in response.content.decode()
    assert response.cookies["sessionid"]["max-age"] == 0
