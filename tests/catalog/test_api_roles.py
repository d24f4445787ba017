"""The catalogue's API serves what the public sees, whoever asks: a draft, a submission under review
or a returned one is not found, even by its own provider or the coordinator logged in."""

import pytest

from manabiya.catalog import services

from ..conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["anonymous", "citizen", "provider", "coordinator", "superuser"])
def reader(request, client, provider_member, coordinator):
    users = {
        "anonymous": None,
        "citizen": lambda: make_user("reader@example.jp"),
        "provider": lambda: provider_member,
        "coordinator": lambda: coordinator,
        "superuser": lambda: make_user("root@example.jp", is_staff=True, is_superuser=True),
    }
    if users[request.param] is not None:
        client.force_login(users[request.param]())
    return client


def test_no_role_reads_an_opportunity_the_public_does_not_see(reader, kominkan, provider_member, coordinator,
                                                              make_opportunity):  # fmt: skip
    draft = make_opportunity(kominkan, provider_member, title="下書きの講座")
    submitted = make_opportunity(kominkan, provider_member, title="審査中の講座", status="submitted")
    returned = services.opportunity_return(
        actor=coordinator,
        opportunity=make_opportunity(kominkan, provider_member, title="差戻しの講座", status="submitted"),
        reason="日程を確認してください",
    )
    published = make_opportunity(kominkan, provider_member, title="公開中の講座", status="published")
    listed = [item["id"] for item in reader.get("/api/opportunities").json()["items"]]
    assert listed == [published.pk]
    for hidden in (draft, submitted, returned):
        assert reader.get(f"/api/opportunities/{hidden.pk}").status_code == 404
        assert reader.get(f"/api/opportunities/{hidden.pk}/availability").status_code == 404
    assert reader.get(f"/api/opportunities/{published.pk}").status_code == 200
