"""The search index's maintenance from the admin: synonym sets and a municipality's rebuild."""

import pytest
from django.urls import reverse

from manabiya.core.models import AuditEntry
from manabiya.search.models import SearchDocument, Synonym


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


def test_coordinator_adds_a_synonym_set_that_searches_use_at_once(
    as_coordinator, make_opportunity, kominkan, provider_member
):
    from manabiya.catalog.selectors import CatalogQuery, catalog_search

    opportunity = make_opportunity(kominkan, provider_member, title="ちぎり絵の会", status="published")
    assert catalog_search(query=CatalogQuery(q="貼り絵")).count() == 0

    response = as_coordinator.post(reverse("admin:search_synonym_add"), {"words": "ちぎり絵, 貼り絵"})

    assert response.status_code == 302
    assert Synonym.objects.filter(words="ちぎり絵、貼り絵").exists()
    assert catalog_search(query=CatalogQuery(q="貼り絵")).object_ids() == [opportunity.pk]
    assert AuditEntry.objects.filter(action="admin.add").exists()


def test_a_synonym_set_needs_two_different_words(as_coordinator):
    response = as_coordinator.post(reverse("admin:search_synonym_add"), {"words": "ヨガ、ﾖｶﾞ"})

    assert response.status_code == 200
    assert "at least two different words" in response.content.decode() or "2つ以上" in response.content.decode()
    assert 'value="ヨガ、ﾖｶﾞ"' in response.content.decode()


def test_citizen_cannot_edit_synonyms(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("admin:search_synonym_changelist"))
    assert response.status_code == 302


def test_coordinator_rebuilds_their_municipality_in_the_background(
    as_coordinator, koganei, make_opportunity, kominkan, provider_member
):
    opportunity = make_opportunity(kominkan, provider_member, title="野鳥観察会", status="published")
    SearchDocument.objects.filter(object_id=opportunity.pk).delete()

    response = as_coordinator.post(
        reverse("admin:core_municipality_changelist"),
        {"action": "rebuild_search_index", "_selected_action": [koganei.pk]},
    )

    assert response.status_code == 302
    # The test settings run tasks at once; in production a worker picks the task up.
    assert SearchDocument.objects.filter(kind="opportunity", object_id=opportunity.pk).exists()
    assert AuditEntry.objects.filter(action="search.rebuild", municipality=koganei).exists()
