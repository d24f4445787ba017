"""The talent bank's API shows each registration as the public sees it, whoever asks: a coordinator,
a provider's staff or the registrant themselves, logged in, get the same JSON as an anonymous reader.
The staff and the registrant read more on their own pages, never through the API."""

import json

import pytest

from manabiya.talent.models import TalentProfile

from ..conftest import make_user
from .conftest import make_profile

pytestmark = pytest.mark.django_db

PUBLIC_MARK = "Zephyrine"
COORDINATOR_MARK = "Quillwort"
PRIVATE_MARK = "Vexbracken"
HIDDEN_NAME = "鈴木 秘匿"


@pytest.fixture
def guarded(koganei, coordinator):
    """Name and biography kept to the registrant, qualifications to the coordinators."""
    visibility = dict.fromkeys(TalentProfile.ITEMS, "public")
    visibility.update(name="private", qualifications="coordinators", biography="private")
    return make_profile(
        koganei,
        approve_by=coordinator,
        name=HIDDEN_NAME,
        topics=f"着付け教室 {PUBLIC_MARK}",
        qualifications=f"着付け師範 {COORDINATOR_MARK}",
        biography=f"元教員 {PRIVATE_MARK}",
        contact_email="suzuki.private@example.jp",
        contact_phone="090-9876-5432",
        visibility=visibility,
    )


@pytest.fixture
def pending(koganei):
    """A registration waiting for approval: in no public list."""
    return make_profile(koganei, name="審査 待子", topics=PUBLIC_MARK)


@pytest.fixture(params=["anonymous", "citizen", "provider", "coordinator", "owner", "superuser"])
def reader(request, client, koganei, coordinator, provider_member, guarded):
    """The API's client, logged in as each role (or not at all)."""
    users = {
        "anonymous": None,
        "citizen": lambda: make_user("reader@example.jp"),
        "provider": lambda: provider_member,
        "coordinator": lambda: coordinator,
        "owner": lambda: guarded.user,
        "superuser": lambda: make_user("root@example.jp", is_staff=True, is_superuser=True),
    }
    make = users[request.param]
    if make is not None:
        client.force_login(make())
    return client


def _hidden(profile) -> list[str]:
    return [HIDDEN_NAME, COORDINATOR_MARK, PRIVATE_MARK, "着付け師範", "元教員", profile.contact_email,
            profile.contact_phone]  # fmt: skip


def test_every_role_reads_only_the_public_items_of_a_registration(reader, guarded):
    """The list, a search and the registration's own entry: public items only, no contact detail,
    for every role, logged in or not."""
    responses = [
        reader.get("/api/talent/profiles"),
        reader.get("/api/talent/profiles", {"q": "着付け"}),
        reader.get(f"/api/talent/profiles/{guarded.pk}"),
    ]
    for response in responses:
        assert response.status_code == 200
        text = response.content.decode()
        body = json.loads(text)
        entry = next(e for e in (body if isinstance(body, list) else [body]) if e["id"] == guarded.pk)
        assert entry["name"] is None and entry["qualifications"] == "" and entry["biography"] == ""
        assert PUBLIC_MARK in entry["topics"]
        assert not {"contact_email", "contact_phone", "email", "phone", "user"} & set(entry)
        for secret in _hidden(guarded):
            assert secret not in text, secret


def test_no_role_finds_a_registration_by_what_it_does_not_show(reader, guarded):
    for word in (COORDINATOR_MARK, PRIVATE_MARK, "鈴木"):
        response = reader.get("/api/talent/profiles", {"q": word})
        assert response.status_code == 200 and response.json() == [], word


def test_no_role_reads_a_registration_not_yet_approved(reader, pending):
    """Not even its registrant or a coordinator, who see it on their own pages."""
    assert reader.get(f"/api/talent/profiles/{pending.pk}").status_code == 404
    assert pending.pk not in [e["id"] for e in reader.get("/api/talent/profiles").json()]


def test_the_delivery_lecture_menu_and_figures_name_no_person(client, koganei, coordinator, guarded):
    """A topic shows the office that offers it, not a lecturer; the figures are counts."""
    for response in (client.get("/api/demae/topics"), client.get("/api/talent/figures/132101/2025")):
        assert response.status_code == 200
        for secret in _hidden(guarded):
            assert secret not in response.content.decode()
