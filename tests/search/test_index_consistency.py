"""The index follows the catalogue: every change made through the services is found at once, a
refused change leaves the index as it was, and a rebuild gives what incremental indexing gave."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from manabiya.catalog import services
from manabiya.catalog.models import Audience, Category, LearningOpportunity, Status
from manabiya.catalog.selectors import CatalogQuery, catalog_search
from manabiya.catalog.services import SessionSpec
from manabiya.core import services as core_services
from manabiya.core.errors import RuleViolation
from manabiya.core.models import Organization, User
from manabiya.search import registry
from manabiya.search.backends.base import Match
from manabiya.search.documents import IndexText
from manabiya.search.models import SearchDocument, VocabularyWord
from manabiya.search.selectors import plan_for, window
from manabiya.search.services import WORDS_BATCH, _add_words, index_objects, rebuild
from manabiya.search.text import analyse

from .conftest import CHITOSE, KOGANEI, Spec, on, publish, search, titles

pytestmark = pytest.mark.django_db

DOCUMENT_FIELDS = [f.name for f in SearchDocument._meta.fields if f.name != "id"]


def documents() -> dict[int, dict]:
    """The opportunity documents by object id, without their own id (which edits may change)."""
    rows = SearchDocument.objects.filter(kind="opportunity").values(*DOCUMENT_FIELDS)
    return {row["object_id"]: row for row in rows}


def document(opportunity: LearningOpportunity) -> SearchDocument:
    return SearchDocument.objects.get(kind="opportunity", object_id=opportunity.pk)


def update(world, opportunity, **fields) -> LearningOpportunity:
    member = world.members[KOGANEI if opportunity.municipality.code == KOGANEI else CHITOSE]
    return services.opportunity_update(actor=member, opportunity=opportunity, **fields)


def session(weekday: int, hour: int = 10, week: int = 1) -> SessionSpec:
    start = on(weekday, hour, week)
    return SessionSpec(starts_at=start, ends_at=start + dt.timedelta(hours=2))


@pytest.fixture
def calligraphy(world):
    return publish(
        world,
        Spec(
            "はじめての書道教室",
            "筆の持ち方から学びます",
            "半紙と筆は貸し出します。",
            category="calligraphy",
            weekday=2,
        ),
    )


def test_publishing_indexes_the_opportunity_with_its_facts(world, calligraphy):
    doc = document(calligraphy)
    assert doc.municipality_id == world.municipalities[KOGANEI].pk
    assert doc.provider_id == world.providers[KOGANEI].pk
    assert doc.category_id == Category.objects.get(slug="calligraphy").pk
    assert doc.top_category_id == Category.objects.get(slug="arts").pk
    assert doc.starts_at == calligraphy.first_starts_at
    assert doc.ends_at == calligraphy.last_ends_at
    assert doc.published_at == calligraphy.published_at
    assert doc.flags & SearchDocument.Flag.FREE
    assert not doc.flags & SearchDocument.Flag.CANCELLED
    assert search("書道") == [calligraphy.pk]
    assert search("しょどう") == [calligraphy.pk]


def test_drafts_and_submissions_are_not_indexed(world, make_organization):
    member = world.members[KOGANEI]
    draft = services.opportunity_create(
        actor=member, provider=world.providers[KOGANEI], title="下書きの書道教室", sessions=[session(3)],
        venue=world.venues[KOGANEI],
    )  # fmt: skip
    assert not SearchDocument.objects.filter(object_id=draft.pk).exists()
    assert search("書道") == []

    untrusted = make_organization(world.municipalities[KOGANEI], "書道愛好会")
    user = User.objects.create_user(email="shodo@example.jp", password=None)
    core_services.membership_add(actor=None, user=user, organization=untrusted)
    coordinator = User.objects.create_user(email="coord@example.jp", password=None)
    core_services.coordinator_assign(actor=None, user=coordinator, municipality=world.municipalities[KOGANEI])
    submitted = services.opportunity_create(
        actor=user, provider=untrusted, title="書道展の見学会", sessions=[session(4)], venue=world.venues[KOGANEI]
    )
    submitted = services.opportunity_submit(actor=user, opportunity=submitted)
    assert submitted.status == Status.SUBMITTED
    assert search("書道") == []
    # Returned and resubmitted: still waiting, still not found.
    submitted = services.opportunity_return(actor=coordinator, opportunity=submitted, reason="日時を確認してください")
    submitted = services.opportunity_submit(actor=user, opportunity=submitted)
    assert search("書道") == []
    approved = services.opportunity_approve(actor=coordinator, opportunity=submitted)
    assert search("書道") == [approved.pk]
    assert search("愛好会") == [approved.pk]  # the provider's name is found too


def test_title_edit_replaces_the_old_words(world, calligraphy):
    update(world, calligraphy, title="はじめての茶道教室", category=Category.objects.get(slug="traditional-arts"))
    assert search("書道") == []
    assert search("しょどう") == []
    assert search("茶道") == [calligraphy.pk]
    assert search("さどう") == [calligraphy.pk]
    assert search("はじめての茶道教室") == [calligraphy.pk]
    assert titles("茶道") == ["はじめての茶道教室"]
    assert SearchDocument.objects.filter(object_id=calligraphy.pk).count() == 1


def test_summary_description_and_kana_edits_are_found(world, calligraphy):
    assert search("半紙") == [calligraphy.pk]
    update(world, calligraphy, summary="楷書と行書を練習します", description="墨汁は各自でご用意ください。",
           title_kana="ハジメテノショドウキョウシツ", title_en="Calligraphy for beginners")  # fmt: skip
    assert search("半紙") == []
    assert search("筆の持ち方") == []
    assert search("楷書") == [calligraphy.pk]
    assert search("墨汁") == [calligraphy.pk]
    assert search("calligraphy") == [calligraphy.pk]
    assert search("ハジメテノ") == [calligraphy.pk]


def test_several_edits_keep_one_document(world, calligraphy):
    for title in ["書道教室 第1期", "書道教室 第2期", "書道教室 第3期"]:
        calligraphy = update(world, calligraphy, title=title)
    assert SearchDocument.objects.filter(object_id=calligraphy.pk).count() == 1
    assert titles("書道") == ["書道教室 第3期"]
    assert search("第3期") == [calligraphy.pk]
    assert search("第1期") == []


def test_withdrawn_is_gone_and_comes_back_when_published_again(world, calligraphy):
    member = world.members[KOGANEI]
    withdrawn = services.opportunity_withdraw(actor=member, opportunity=calligraphy, reason="講師の都合")
    assert search("書道") == []
    assert not SearchDocument.objects.filter(object_id=calligraphy.pk).exists()

    draft = services.opportunity_reopen(actor=member, opportunity=withdrawn)
    assert draft.status == Status.DRAFT
    assert search("書道") == []
    draft = update(world, draft, title="書道教室 再開講座")
    assert search("再開") == []  # a draft's edits are not public

    republished = services.opportunity_submit(actor=member, opportunity=draft)
    assert republished.status == Status.PUBLISHED
    assert titles("書道") == ["書道教室 再開講座"]
    assert search("はじめて") == []


def test_cancelled_is_still_found_and_marked(world):
    opportunity = publish(
        world,
        Spec("パソコン入門講座", category="ict", extra={"capacity": 20, "application_method": "first_come"}),
    )
    assert document(opportunity).flags & SearchDocument.Flag.TAKES_APPLICATIONS
    services.opportunity_cancel(actor=world.members[KOGANEI], opportunity=opportunity, reason="講師急病のため")
    assert search("パソコン") == [opportunity.pk]
    flags = document(opportunity).flags
    assert flags & SearchDocument.Flag.CANCELLED
    assert not flags & SearchDocument.Flag.TAKES_APPLICATIONS
    assert search("パソコン", open_now=True) == []
    [found] = list(catalog_search(query=CatalogQuery(q="パソコン")))
    assert found.status == Status.CANCELLED


def test_session_changes_move_the_weekday_and_time_filters(world, calligraphy):
    assert search("書道", weekdays=[2]) == [calligraphy.pk]
    assert search("書道", times=["morning"]) == [calligraphy.pk]
    assert search("書道", weekdays=[4]) == []

    calligraphy = update(world, calligraphy, sessions=[session(4, hour=19), session(6, hour=14, week=2)])
    assert search("書道", weekdays=[2]) == []
    assert search("書道", times=["morning"]) == []
    assert search("書道", weekdays=[4]) == [calligraphy.pk]
    assert search("書道", weekdays=[6]) == [calligraphy.pk]
    assert search("書道", weekdays=[4], times=["evening"]) == [calligraphy.pk]
    assert search("書道", times=["afternoon"]) == [calligraphy.pk]
    doc = document(calligraphy)
    assert doc.starts_at == on(4, 19, 1)
    assert doc.ends_at == on(6, 14, 2) + dt.timedelta(hours=2)


def test_an_opportunity_whose_sessions_are_over_is_not_shown(world, calligraphy):
    past = on(2, 10, week=-2)
    update(world, calligraphy, sessions=[SessionSpec(starts_at=past, ends_at=past + dt.timedelta(hours=2))])
    assert search("書道") == []


def test_filters_follow_edits_of_category_audience_and_fee(world, calligraphy):
    assert search("書道", category="arts") == [calligraphy.pk]
    assert search("書道", fee="free") == [calligraphy.pk]
    update(world, calligraphy, category=Category.objects.get(slug="literature"), fee=500,
           audiences=[Audience.objects.get(slug="seniors")])  # fmt: skip
    assert search("書道", category="arts") == []
    assert search("書道", category="humanities") == [calligraphy.pk]
    assert search("書道", fee="free") == []
    assert search("書道", fee="paid") == [calligraphy.pk]
    assert search("書道", audience="seniors") == [calligraphy.pk]
    assert search("高齢者") == [calligraphy.pk]  # the audience's name is indexed


def test_refused_edit_leaves_the_index_as_it_was(world, calligraphy):
    before = documents()
    with pytest.raises(RuleViolation):
        # An in-person course without a venue cannot stay published: refused after the rows were saved.
        update(world, calligraphy, title="俳句教室", venue=None)
    assert documents() == before
    assert search("書道") == [calligraphy.pk]
    assert search("俳句") == []


def test_rolled_back_transaction_takes_its_index_changes_with_it(world, calligraphy):
    before = documents()
    doc_id = document(calligraphy).pk
    with pytest.raises(RuleViolation), transaction.atomic():
        update(world, calligraphy, title="俳句教室", sessions=[session(5, hour=19)])
        assert search("俳句") == [calligraphy.pk]  # indexed inside the transaction
        services.opportunity_cancel(actor=world.members[KOGANEI], opportunity=calligraphy, reason=" ")
    assert documents() == before
    assert document(calligraphy).pk == doc_id
    assert search("書道") == [calligraphy.pk]
    assert search("俳句") == []
    assert search("書道", weekdays=[2]) == [calligraphy.pk]


def test_renaming_a_provider_or_venue_is_found(world, calligraphy):
    provider = Organization.objects.get(pk=world.providers[KOGANEI].pk)
    provider.name = "小金井市まなび館"
    provider.save()
    assert search("まなび館") == [calligraphy.pk]
    venue = world.venues[KOGANEI]
    venue.name = "緑町集会所"
    venue.save()
    assert search("緑町") == [calligraphy.pk]
    assert search("生涯学習センター") == []


def test_deleting_an_opportunity_drops_its_document(world, calligraphy):
    LearningOpportunity.objects.get(pk=calligraphy.pk).delete()
    assert not SearchDocument.objects.filter(object_id=calligraphy.pk).exists()
    assert search("書道") == []


def test_correcting_content_in_the_admin_is_found(world, calligraphy):
    """A superuser may correct an opportunity's content in the admin, which saves the model itself."""
    opportunity = LearningOpportunity.objects.get(pk=calligraphy.pk)
    opportunity.title = "はじめての書写教室"
    opportunity.save()
    assert search("書写") == [calligraphy.pk]
    assert search("はじめての書道") == []  # 書道 alone is still found: it is the category's name


def test_renaming_a_category_is_found(world, calligraphy):
    """Coordinators edit the categories in the admin; an opportunity's category name is indexed."""
    category = Category.objects.get(slug="calligraphy")
    category.name = "書写・ペン習字"
    category.save()
    assert search("ペン習字") == [calligraphy.pk]


# --- rebuilds ---------------------------------------------------------------------------------------

QUERIES = [
    "", "書道", "しょどう", "スマホ", "スマートフォン", "料理 親子", "こども", "子供", "高齢者", "シニア", "ヨガ",
    "教室", "千歳", "小金井", "センター", "第2期", "中止", "ＰＣ", "パソコン", "英語", "あいさつ", "の", "a",
]  # fmt: skip


@pytest.fixture
def indexed_incrementally(world):
    """A catalogue built and edited through the services, its index kept current change by change."""
    member = world.members[KOGANEI]
    published = [
        publish(world, Spec("はじめての書道教室", "筆の持ち方から", category="calligraphy", weekday=1)),
        publish(world, Spec("シニアのためのスマートフォン教室", "写真の送り方", category="ict",
                            audiences=("seniors",), weekday=2, hour=14)),
        publish(world, Spec("親子料理教室", "カレーを作ります", category="cooking",
                            audiences=("infants-parents",), weekday=6, fee=500)),
        publish(world, Spec("子ども科学実験教室", category="science-experiments", weekday=6, hour=14, week=2)),
        publish(world, Spec("朝ヨガ教室", category="dance-exercise", weekday=4, hour=7)),
        publish(world, Spec("英会話 初級", "あいさつから", category="languages", weekday=5, hour=19)),
        publish(world, Spec("リラックスヨガ", municipality=CHITOSE, category="dance-exercise", weekday=3, hour=19)),
        publish(world, Spec("パソコン入門", municipality=CHITOSE, category="ict", weekday=1, week=2)),
        publish(world, Spec("千歳の歴史講座", municipality=CHITOSE, category="history-heritage", weekday=7)),
    ]  # fmt: skip
    calligraphy, smartphone, cooking, science, _yoga, english, *_ = published
    update(world, calligraphy, title="はじめての書道教室 第2期", sessions=[session(1, 10, 3), session(1, 10, 4)])
    update(world, smartphone, summary="LINEの使い方", audiences=[Audience.objects.get(slug="everyone")])
    services.opportunity_cancel(actor=member, opportunity=cooking, reason="食材高騰のため中止")
    services.opportunity_withdraw(actor=member, opportunity=science)
    english = services.opportunity_withdraw(actor=member, opportunity=english)
    english = services.opportunity_reopen(actor=member, opportunity=english)
    english = update(world, english, title="英会話 初級（再開）")
    services.opportunity_submit(actor=member, opportunity=english)
    services.opportunity_create(
        actor=member, provider=world.providers[KOGANEI], title="下書きのヨガ", sessions=[session(2)],
        venue=world.venues[KOGANEI],
    )  # fmt: skip
    return published


def snapshot() -> tuple[dict, dict]:
    return documents(), {q: search(q) for q in QUERIES}


def test_incremental_catalogue_is_what_it_should_be(indexed_incrementally):
    calligraphy, smartphone, cooking, science, _yoga, english, *_ = indexed_incrementally
    docs, results = snapshot()
    assert len(docs) == len(results[""]) == 8  # nine published, one withdrawn since; the draft never
    assert science.pk not in docs
    assert results["第2期"] == [calligraphy.pk]
    assert results["子供"] == []
    assert results["中止"] == []  # a cancellation's reason is not indexed
    assert docs[cooking.pk]["flags"] & SearchDocument.Flag.CANCELLED
    assert english.pk in results["英語"]
    assert smartphone.pk not in search("写真の送り方")  # its summary was edited
    assert search("line") == [smartphone.pk]


def test_full_rebuild_gives_the_same_documents_and_results(indexed_incrementally):
    before = snapshot()
    assert rebuild(kind="opportunity") == 8
    assert snapshot() == before


def test_full_rebuild_recounts_the_vocabulary(indexed_incrementally):
    science = indexed_incrementally[3]
    rebuild(kind="opportunity")
    counts = dict(VocabularyWord.objects.values_list("word", "documents"))
    searchable = LearningOpportunity.objects.filter(status__in=[Status.PUBLISHED, Status.CANCELLED])
    expected: dict[str, int] = {}
    for title in searchable.values_list("title", flat=True):
        for word in {word for word in analyse(title).words if len(word) >= 2}:
            expected[word] = expected.get(word, 0) + 1
    assert counts == expected
    assert counts["教室"] == 4  # 書道, スマートフォン, 料理, ヨガ: no longer the withdrawn 科学実験教室
    assert not set(analyse(science.title).words) & set(counts) - {"教室"}


def test_municipality_rebuild_gives_the_same_documents_and_results(world, indexed_incrementally):
    before = snapshot()
    assert rebuild(kind="opportunity", municipality_id=world.municipalities[KOGANEI].pk) == 5
    assert snapshot() == before
    assert rebuild(kind="opportunity", municipality_id=world.municipalities[CHITOSE].pk) == 3
    assert snapshot() == before


def test_municipality_rebuild_repairs_only_that_municipality(world, indexed_incrementally):
    koganei, chitose = world.municipalities[KOGANEI], world.municipalities[CHITOSE]
    calligraphy, _smartphone, _cooking, _science, yoga, _english, relax_yoga, _pc, _history = indexed_incrementally
    # The index drifts from the catalogue: changes made behind the services' (and signals') back.
    LearningOpportunity.objects.filter(pk=calligraphy.pk).update(title="書道教室 夜間クラス")
    LearningOpportunity.objects.filter(pk=yoga.pk).update(status=Status.WITHDRAWN)
    LearningOpportunity.objects.filter(pk=relax_yoga.pk).update(title="リラックスヨガ 夜間クラス")
    assert search("夜間") == []
    assert yoga.pk in search("ヨガ")

    assert rebuild(kind="opportunity", municipality_id=koganei.pk) == 4
    assert search("夜間") == [calligraphy.pk]  # Chitose's stays as it was: its rebuild is another's
    assert search("ヨガ") == [relax_yoga.pk]
    assert yoga.pk not in documents()

    assert rebuild(kind="opportunity", municipality_id=chitose.pk) == 3
    assert sorted(search("夜間")) == sorted([calligraphy.pk, relax_yoga.pk])
    repaired = snapshot()
    rebuild(kind="opportunity")
    assert snapshot() == repaired


def _corrupt_documents() -> None:
    """Damage the documents' facts (not the text index, whose rows the documents' keys locate)."""
    SearchDocument.objects.update(published_at=None, provider_id=None)


def test_reindex_command_rebuilds_everything(indexed_incrementally):
    before = snapshot()
    _corrupt_documents()
    VocabularyWord.objects.all().delete()
    assert snapshot() != before
    out = StringIO()
    call_command("reindex", "--no-progress", stdout=out)
    assert "Indexed 8 opportunity documents." in out.getvalue()
    assert snapshot() == before
    assert VocabularyWord.objects.filter(word="書道").exists()


def test_reindex_command_for_one_municipality(world, indexed_incrementally):
    before = snapshot()
    _corrupt_documents()
    out = StringIO()
    call_command("reindex", "--municipality", CHITOSE, "--no-progress", stdout=out)
    assert "Indexed 3 opportunity documents." in out.getvalue()
    docs = documents()
    repaired = {pk for pk, doc in docs.items() if doc == before[0][pk]}
    assert {docs[pk]["municipality_id"] for pk in repaired} == {world.municipalities[CHITOSE].pk}
    assert len(repaired) == 3
    call_command("reindex", "--municipality", KOGANEI, "--kind", "opportunity", verbosity=0, stdout=out)
    assert snapshot() == before


def test_reindex_command_refuses_unknown_municipality_or_kind(db):
    with pytest.raises(CommandError, match="999999"):
        call_command("reindex", "--municipality", "999999", "--no-progress")
    with pytest.raises(CommandError, match="Unknown kind"):
        call_command("reindex", "--kind", "facility", "--no-progress")


def test_another_kind_in_the_same_index_stays_out_of_the_catalogue(world, monkeypatch):
    """Groups, talent profiles and facilities will share the index: a search of one kind never
    returns another's documents, even when they hold the same words."""
    course = publish(world, Spec(title="手話サークル 入門"))
    starts = course.first_starts_at

    def build(object_ids):
        for object_id in object_ids:
            yield object_id, {"starts_at": starts, "ends_at": course.last_ends_at}, IndexText(title="手話サークル")

    circle_ids = [course.pk, course.pk + 1]
    circles = registry.IndexedKind("circle", searchable_ids=lambda municipality_id: circle_ids, build=build)
    monkeypatch.setitem(registry._kinds, "circle", circles)
    index_objects(kind="circle", object_ids=circle_ids)

    assert catalog_search(query=CatalogQuery(q="手話")).object_ids() == [course.pk]
    assert catalog_search(query=CatalogQuery()).object_ids() == [course.pk]
    found = window(Match(kind="circle", plan=plan_for("手話")))
    assert sorted(SearchDocument.objects.get(pk=pk).object_id for _key, pk in found) == circle_ids


@pytest.mark.django_db
def test_new_words_join_the_vocabulary_in_batches_and_known_ones_keep_their_counts():
    VocabularyWord.objects.create(word="書道", documents=40)
    words = Counter({f"語{n}": 1 for n in range(WORDS_BATCH * 2 + 7)})
    words["書道"] = 1
    _add_words(words)
    assert VocabularyWord.objects.count() == WORDS_BATCH * 2 + 8
    assert VocabularyWord.objects.get(word="書道").documents == 40


def test_the_plain_sql_reads_of_an_opportunity_match_the_orm(world):
    """The reindex reads with plain SQL (`_opportunity_values`, `_links`); the ORM's reading is
    the reference, times and time zones included."""
    from manabiya.catalog.search_documents import OPPORTUNITY_VALUES, _links, _opportunity_values

    opportunity = publish(world, Spec(title="書道教室", audiences=("everyone", "seniors"), week=2, hour=19))
    expected = list(LearningOpportunity.objects.filter(pk=opportunity.pk).values(*OPPORTUNITY_VALUES))
    assert _opportunity_values([opportunity.pk]) == expected
    assert expected[0]["first_starts_at"].utcoffset() is not None
    links = _links([opportunity.pk])
    assert sorted(linked for what, _o, linked, *_rest in links if what == "audience") == sorted(
        opportunity.audiences.values_list("pk", flat=True)
    )
    sessions = [(weekday, time) for what, _o, _v, _n, weekday, time in links if what == "session"]
    assert sessions == list(opportunity.sessions.values_list("weekday", "time_of_day"))
