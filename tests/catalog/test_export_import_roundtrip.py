"""A city's own /opportunities/export.csv, uploaded again, gives back the same catalogue: each row
finds its opportunity by the exported NO, and a row the coordinator edited changes only that
opportunity, only where it was edited."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from manabiya.catalog import exporting, importing
from manabiya.catalog.demo.loader import load_demo
from manabiya.catalog.eventcsv import events_csv_bytes, read_events
from manabiya.catalog.models import LearningOpportunity, Session, Status, Venue
from manabiya.core.models import Municipality, Organization, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

IGNORED = {"updated_at"}  # when a row was last written is not the catalogue's content


def _row(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in IGNORED}


def catalogue(municipality: Municipality) -> dict:
    """Everything of the municipality's catalogue, field by field: opportunities with their tags and
    sessions, venues, providers."""
    opportunities = {}
    for o in LearningOpportunity.objects.filter(municipality=municipality).prefetch_related(
        "audiences", "accessibility", "sessions"
    ):
        opportunities[o.pk] = {
            **_row(o),
            "audiences": sorted(a.pk for a in o.audiences.all()),
            "accessibility": sorted(a.pk for a in o.accessibility.all()),
            "sessions": sorted((_row(s) for s in o.sessions.all()), key=lambda s: s["id"]),
        }
    return {
        "opportunities": opportunities,
        "venues": {v.pk: _row(v) for v in Venue.objects.filter(municipality=municipality)},
        "providers": {o.pk: _row(o) for o in Organization.objects.filter(municipality=municipality)},
        "sessions": Session.objects.filter(opportunity__municipality=municipality).count(),
    }


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture
def demo(db):
    load_demo(today=timezone.localdate())
    return Municipality.objects.order_by("code")


def coordinator_of(municipality: Municipality) -> User:
    return User.objects.filter(coordinator_assignments__municipality=municipality).first()


def test_the_demo_catalogues_export_imported_unchanged_change_nothing(client, demo):
    """Each demo city's export, uploaded back by its coordinator: no new opportunity, every row an
    update of its own, and the catalogue field for field as it was."""
    for municipality in demo:
        before = catalogue(municipality)
        published = LearningOpportunity.objects.filter(municipality=municipality, status=Status.PUBLISHED).count()
        data = client.get(reverse("catalog:export_csv"), {"municipality": municipality.code}).content
        assert len(rows_of(data)) == published > 0
        result = importing.events_import(
            actor=coordinator_of(municipality), data=data, municipality_code=municipality.code
        )
        assert (len(result.created), len(result.updated)) == (0, published), municipality.name
        assert sorted(result.unchanged) == sorted(result.updated)
        assert catalogue(municipality) == before, municipality.name
        # And the export is the same file again.
        assert exporting.events_csv(municipality=municipality) == data


def test_one_title_edited_in_the_export_changes_that_opportunity_only(demo):
    municipality = demo.get(code="132101")
    before = catalogue(municipality)
    records = read_events(exporting.events_csv(municipality=municipality)).records
    edited = records[3]
    edited.title = edited.title + "(会場変更なし・題名のみ変更)"
    result = importing.events_import(
        actor=coordinator_of(municipality), data=events_csv_bytes(records), municipality_code=municipality.code
    )
    assert result.created == []
    changed = [pk for pk in result.updated if pk not in result.unchanged]
    assert len(changed) == 1
    after = catalogue(municipality)
    (pk,) = changed
    assert after["opportunities"][pk]["title"] == edited.title
    after["opportunities"][pk]["title"] = before["opportunities"][pk]["title"]
    assert after == before


def test_an_edited_date_moves_the_sessions_of_that_row(demo):
    """What the row says about dates is applied as an import always did: by the session rule."""
    municipality = demo.get(code="132101")
    records = read_events(exporting.events_csv(municipality=municipality)).records
    one_day = next(r for r in records if r.end_date == r.start_date and r.start_time)
    one_day.start_date = one_day.end_date = (
        one_day.start_date.replace(day=1) if one_day.start_date.day != 1 else (one_day.start_date.replace(day=2))
    )
    result = importing.events_import(
        actor=coordinator_of(municipality), data=events_csv_bytes(records), municipality_code=municipality.code
    )
    (pk,) = [pk for pk in result.updated if pk not in result.unchanged]
    (session,) = Session.objects.filter(opportunity_id=pk)
    assert timezone.localtime(session.starts_at).date() == one_day.start_date


def test_a_foreign_file_numbered_like_manabiyas_ids_does_not_overwrite_them(
    koganei, coordinator, kominkan, provider_member, make_opportunity
):
    """Another system's file numbers its rows 1, 2, 3…: those numbers are not Manabiya's ids, so the
    city's own opportunities with those ids are left alone and the rows are new."""
    mine = make_opportunity(kominkan, provider_member, title="市民講座", status="published")
    (record,) = read_events(exporting.events_csv(municipality=koganei)).records
    record.no, record.title = str(mine.pk), "他の催し"
    result = importing.events_import(actor=coordinator, data=events_csv_bytes([record]), municipality_code=koganei.code)
    assert len(result.created) == 1 and result.updated == []
    mine.refresh_from_db()
    assert mine.title == "市民講座"
