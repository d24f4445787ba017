"""Export the catalogue as the 「イベント一覧」 open-data CSV (selectors: reads only).

One row per published opportunity. 開始日/開始時間 come from the first session's start and
終了日/終了時間 from the last session, read back with `eventcsv.dates_from_sessions`, so that
importing an export gives the same sessions whenever the import's session rule can express them
(one session, or one a day over up to seven days); a weekly course comes back as one long session.

NO is the row's identity for re-imports: an opportunity that came from a file keeps that file's
NO (and one keyed by a hash keeps an empty NO, as its file had); one made in Manabiya is "M<id>"
(`native_number`), with one more "M" while an imported NO has that number. The letter keeps another
system's plain 1, 2, 3… from being taken for Manabiya's ids: importing the export finds each
opportunity again by its NO, importing someone else's file never overwrites them.
"""

import re

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from manabiya.core.models import Municipality

from .eventcsv import EventRecord, dates_from_sessions, events_csv_bytes
from .models import LearningOpportunity, Session, Status


def exportable_opportunities(*, municipality: Municipality) -> QuerySet[LearningOpportunity]:
    """Published opportunities of the municipality with what a row shows, in two queries."""
    return (
        LearningOpportunity.objects.filter(municipality=municipality, status=Status.PUBLISHED)
        .select_related("municipality", "provider", "venue")
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.select_related("venue").order_by("starts_at")))
        .order_by("first_starts_at", "id")
    )


def _split_extension(phone: str) -> tuple[str, str]:
    """Undo importing's "<phone> 内線<n>"."""
    head, marker, extension = phone.rpartition("内線")
    if not marker:
        return phone, ""
    return head.strip(), extension.strip()


NATIVE_NUMBER = re.compile(r"M+([0-9]+)")


def imported_numbers(*, municipality: Municipality) -> set[str]:
    """The NOs the municipality's imported opportunities carry, whatever their status."""
    keys = LearningOpportunity.objects.filter(municipality=municipality, source_key__startswith="no:")
    return {key[3:] for key in keys.values_list("source_key", flat=True)}


def native_number(pk: int, *, taken: set[str]) -> str:
    """The NO of the opportunity `pk`, made in Manabiya: "M<id>", with one more "M" while an
    imported NO (`taken`) has it."""
    number = f"M{pk}"
    while number in taken:
        number = "M" + number
    return number


def native_id(number: str, *, taken: set[str]) -> int | None:
    """The id of the opportunity made in Manabiya that the export numbered `number`, if any."""
    match = NATIVE_NUMBER.fullmatch(number)
    if match is None or number in taken:
        return None
    pk = int(match.group(1))
    return pk if native_number(pk, taken=taken) == number else None


def _export_numbers(opportunities: list[LearningOpportunity], *, taken: set[str]) -> dict[int, str]:
    numbers = {}
    for o in opportunities:
        if o.source_key.startswith("no:"):
            numbers[o.pk] = o.source_key[3:]
        elif o.source_key.startswith("hash:"):
            numbers[o.pk] = ""
        else:
            numbers[o.pk] = native_number(o.pk, taken=taken)
    return numbers


def event_record_for(opportunity: LearningOpportunity, *, no: str = "") -> EventRecord | None:
    """The row of one opportunity (sessions prefetched in start order); None without sessions."""
    sessions = list(opportunity.sessions.all())
    if not sessions:
        return None
    first, last = sessions[0], sessions[-1]
    start_date, start_time, end_date, end_time = dates_from_sessions(
        first_start=first.starts_at, last_start=last.starts_at, last_end=last.ends_at
    )
    venue = opportunity.venue or next((s.venue for s in sessions if s.venue_id), None)
    phone, extension = _split_extension(opportunity.contact_phone)
    closes = timezone.localtime(opportunity.application_closes_at) if opportunity.application_closes_at else None
    municipality = opportunity.municipality
    return EventRecord(
        local_government_code=municipality.code,
        no=no,
        prefecture=municipality.prefecture,
        city=municipality.name,
        title=opportunity.title,
        title_kana=opportunity.title_kana,
        title_en=opportunity.title_en,
        start_date=start_date,
        end_date=end_date,
        start_time=start_time,
        end_time=end_time,
        date_note=first.note,
        description=opportunity.description,
        fee=opportunity.fee,
        fee_note=opportunity.fee_note,
        contact_name=opportunity.contact_name,
        contact_phone=phone,
        contact_extension=extension,
        organizer=opportunity.provider.name,
        place_name=venue.name if venue else "",
        address=venue.address if venue else "",
        address_detail=venue.address_detail if venue else "",
        latitude=venue.latitude if venue else None,
        longitude=venue.longitude if venue else None,
        access=venue.access if venue else "",
        parking=venue.parking if venue else "",
        capacity=opportunity.capacity,
        application_end_date=closes.date() if closes else None,
        application_end_time=closes.time() if closes else None,
        application_method=opportunity.application_note,
        url=opportunity.url,
    )


def event_records(*, municipality: Municipality) -> list[EventRecord]:
    opportunities = list(exportable_opportunities(municipality=municipality))
    numbers = _export_numbers(opportunities, taken=imported_numbers(municipality=municipality))
    records = (event_record_for(o, no=numbers[o.pk]) for o in opportunities)
    return [record for record in records if record is not None]


def events_csv(*, municipality: Municipality) -> bytes:
    """The municipality's published catalogue as an イベント一覧 file, UTF-8 with a byte-order mark."""
    return events_csv_bytes(event_records(municipality=municipality))
