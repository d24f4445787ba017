"""Import the 「イベント一覧」 open-data CSV into the catalogue (services: writes).

`events_import_plan` reads and checks a file without writing anything (the upload preview and
`import-events --dry-run`); `events_import` applies it in one transaction: every row or none.
Only a coordinator of the municipality may import (`actor=None` is the operator at the command
line, who may import anywhere).

How a row becomes catalogue data — one row is one opportunity:

- Identity: `LearningOpportunity.source_key`, unique per municipality, is "no:<NO>" when the row
  has a NO, else "hash:<digest of イベント名, 開始日, 場所名称>". Importing a file again updates the
  opportunities it created; rows missing from a later file are left alone, never deleted. A row
  whose NO is the one the export gave an opportunity made in Manabiya ("M<id>", see
  `exporting.native_number`) updates that opportunity, so the city's own export imports back.
- An update applies what the row changes: a column that says what Manabiya's export says of the
  opportunity now leaves what Manabiya holds alone (a weekly course's dates, each session's venue
  and note, the seconds of a deadline), so an export imported unchanged changes nothing.
- Sessions: see `eventcsv.EventRecord.session_times` (one per day for a span of up to 7 days with
  a start time, otherwise one session over the span). On re-import a session whose start did not
  change keeps its row, so what hangs on it stays attached.
- Provider: 主催者 (or, when empty, 連絡先名称, else the municipality itself) is matched by name
  within the municipality after NFKC, or created; `guess_organization_kind` picks its kind.
- Venue: 場所名称 + 住所 (場所名称 defaults to 住所) are matched the same way, or created; the
  first non-empty 方書, 緯度/経度, アクセス方法 and 駐車場情報 given for it fill or replace its own.
- Status: the importing coordinator vouches for the file, so new opportunities are published.
  An updated one is published too, unless someone withdrew or cancelled it in Manabiya: that
  decision stands and only its content is refreshed.
- Fields the file does not carry (category, audiences, application method, image, …) keep what
  was edited in Manabiya. 備考 is appended to 説明; 連絡先内線番号 to the phone as " 内線<n>"; a
  deadline without 参加申込終了時間 closes at 23:59. Applications stay with the organizer
  (参加申込方法 becomes the "how to apply" note), so imported opportunities take none here.
- The municipality named by the code is created from 都道府県名/市区町村名 when missing.

Uploads from the coordinator page wait on disk between preview and confirmation (`ImportJob`);
the confirmed import runs as a background task (`tasks.import_events_task`) that writes its
progress next to the upload, where the status page reads it. `manabiya prune-imports` clears out
uploads never confirmed, finished jobs and jobs whose task is gone.

The task is safe to run twice and to run again after its worker died: the import writes in one
transaction (a run killed half-way committed nothing), and its audit entry names the job, so a run
that finds, under the municipality's lock, that the job's import was already applied records the
outcome instead of importing again.
"""

import contextlib
import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from manabiya.core.audit import log_action
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.japan import (
    is_valid_local_government_code,
    normalize_local_government_code,
    prefecture_for_code,
)
from manabiya.core.models import AuditEntry, Municipality, Organization, User
from manabiya.core.selectors import is_coordinator_of
from manabiya.core.services import municipality_get_or_create, organization_create
from manabiya.core.worker import TASK_ALIVE, TASK_MISSING, task_status

from . import exporting, search_documents
from .eventcsv import COLUMNS, EventRecord, Problem, events_csv_bytes, nfkc, read_events
from .models import ApplicationMethod, Format, LearningOpportunity, Session, Status, Venue
from .services import SessionSpec, session_window, sessions_sync

ProgressCallback = Callable[[int, int], None]

# New opportunities are written this many at a time; progress is reported after each batch.
BATCH_SIZE = 200

# A re-imported opportunity in one of these states is published; withdrawn and cancelled stay.
REPUBLISHABLE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED})

_COLUMN_ORDER = {column: index for index, column in enumerate(COLUMNS)}


@dataclass
class PlannedRow:
    record: EventRecord
    source_key: str
    opportunity_id: int | None = None  # set when the row updates an existing opportunity

    @property
    def is_new(self) -> bool:
        return self.opportunity_id is None


@dataclass
class ImportPlan:
    """What importing a file would do, and every problem that stops it."""

    municipality_code: str
    municipality: Municipality | None  # None: it will be created
    municipality_name: str
    prefecture_name: str
    encoding: str
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    new_providers: list[str] = field(default_factory=list)
    new_venues: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if row.is_new)

    @property
    def update_count(self) -> int:
        return sum(1 for row in self.rows if not row.is_new)


@dataclass
class ImportResult:
    municipality: Municipality
    created: list[int]
    updated: list[int]  # every opportunity a row matched, changed or not
    warnings: list[Problem]
    unchanged: list[int] = field(default_factory=list)  # of `updated`, those the row left as they were
    providers_created: int = 0
    venues_created: int = 0
    municipality_created: bool = False


class ImportAlreadyApplied(Exception):
    """The job's import was committed by an earlier run; `data` is its audit entry's data."""

    def __init__(self, data: dict):
        super().__init__("already imported")
        self.data = data


class EventImportRefused(RuleViolation):
    """The file has bad rows, so nothing was saved; `errors` lists every one."""

    def __init__(self, errors: list[Problem]):
        message = ngettext(
            "%(count)d problem in the file; nothing was imported.",
            "%(count)d problems in the file; nothing was imported.",
            len(errors),
        ) % {"count": len(errors)}
        super().__init__(message, field="file")
        self.errors = errors


# --- mapping rows to the catalogue ---------------------------------------------------------------


def name_key(text: str) -> str:
    """How names are compared: NFKC (ＮＰＯ → NPO, half-width kana → full), spaces removed."""
    return "".join(nfkc(text).split())


def source_key_for(record: EventRecord) -> str:
    if record.no:
        return f"no:{nfkc(record.no)}"
    identity = "\x1f".join(
        [
            name_key(record.title),
            record.start_date.isoformat() if record.start_date else "",
            name_key(record.place_name),
        ]
    )
    return "hash:" + hashlib.sha256(identity.encode()).hexdigest()[:24]


def provider_name_for(record: EventRecord, municipality_name: str) -> str:
    return record.organizer or record.contact_name or municipality_name


# Checked in order; the first keyword found in the name decides.
_KIND_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("公民館", Organization.Kind.KOMINKAN),
    ("図書館", Organization.Kind.LIBRARY),
    ("児童館", Organization.Kind.CHILDRENS_HALL),
    ("学習館", Organization.Kind.LOCAL_LEARNING_HALL),
    ("大学", Organization.Kind.UNIVERSITY),
    ("NPO", Organization.Kind.NPO),
    ("特定非営利活動法人", Organization.Kind.NPO),
    ("株式会社", Organization.Kind.BUSINESS),
    ("有限会社", Organization.Kind.BUSINESS),
    ("(株)", Organization.Kind.BUSINESS),
)
_DEPARTMENT_ENDINGS = ("課", "係", "室", "部", "局", "役所", "役場")


def guess_organization_kind(name: str, municipality_name: str) -> str:
    """The kind of a provider created by an import, from its name — a guess a coordinator can
    correct: a facility keyword (公民館, 図書館, 児童館, 学習館, 大学, NPO, 株式会社…) decides;
    otherwise the municipality itself, or a name starting with it or ending in 課/係/室/部/局/役所/
    役場, is a city department; anything else is a citizens' group."""
    normalized = name_key(name)
    for keyword, kind in _KIND_KEYWORDS:
        if keyword in normalized:
            return kind
    if (municipality_name and normalized.startswith(name_key(municipality_name))) or normalized.endswith(
        _DEPARTMENT_ENDINGS
    ):
        return Organization.Kind.CITY_DEPARTMENT
    return Organization.Kind.CITIZENS_GROUP


def venue_identity(record: EventRecord) -> tuple[str, str] | None:
    """(name, address) of the row's venue as written; the name defaults to the address."""
    name = record.place_name or record.address
    if not name:
        return None
    return name, record.address


def _venue_key(identity: tuple[str, str]) -> tuple[str, str]:
    return name_key(identity[0]), name_key(identity[1])


def contact_phone_for(record: EventRecord) -> str:
    if not record.contact_extension:
        return record.contact_phone
    extension = f"内線{record.contact_extension}"
    return f"{record.contact_phone} {extension}" if record.contact_phone else extension


def opportunity_fields(record: EventRecord) -> dict[str, Any]:
    """The opportunity's own fields a row carries (provider, venue and sessions aside)."""
    description = record.description
    if record.remarks:
        description = f"{description}\n\n{record.remarks}" if description else record.remarks
    closes_at = None
    if record.application_end_date:
        closes_time = record.application_end_time or dt.time(23, 59)
        closes_at = timezone.make_aware(dt.datetime.combine(record.application_end_date, closes_time))
    return {
        "title": record.title,
        "title_kana": record.title_kana,
        "title_en": record.title_en,
        "description": description,
        "fee": record.fee,
        "fee_note": record.fee_note,
        "contact_name": record.contact_name,
        "contact_phone": contact_phone_for(record),
        "capacity": record.capacity,
        "application_closes_at": closes_at,
        "application_note": record.application_method,
        "url": record.url,
    }


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


# Text a column carries, and the model field that bounds its length.
_LENGTH_LIMITS: tuple[tuple[str, Callable[[EventRecord], str], type[models.Model], str], ...] = (
    ("イベント名", lambda r: r.title, LearningOpportunity, "title"),
    ("イベント名_カナ", lambda r: r.title_kana, LearningOpportunity, "title_kana"),
    ("イベント名_英語", lambda r: r.title_en, LearningOpportunity, "title_en"),
    ("開始日時特記事項", lambda r: r.date_note, Session, "note"),
    ("料金(詳細)", lambda r: r.fee_note, LearningOpportunity, "fee_note"),
    ("連絡先名称", lambda r: r.contact_name, LearningOpportunity, "contact_name"),
    ("連絡先電話番号", contact_phone_for, LearningOpportunity, "contact_phone"),
    ("主催者", lambda r: r.organizer, Organization, "name"),
    ("場所名称", lambda r: r.place_name or r.address, Venue, "name"),
    ("住所", lambda r: r.address, Venue, "address"),
    ("方書", lambda r: r.address_detail, Venue, "address_detail"),
    ("URL", lambda r: r.url, LearningOpportunity, "url"),
    ("NO", lambda r: source_key_for(r) if r.no else "", LearningOpportunity, "source_key"),
)


def _venue_missing(record: EventRecord) -> Problem:
    return Problem(
        record.line, "場所名称", _("Give the place (場所名称) or its address (住所); a published event needs a venue.")
    )


def _check_record(record: EventRecord, code: str) -> list[Problem]:
    """What the catalogue refuses in a row the format accepted (a new row's venue aside: see
    `events_import_plan`)."""
    problems = []
    line = record.line
    for column, value_of, model, name in _LENGTH_LIMITS:
        limit = _max_length(model, name)
        if len(value_of(record)) > limit:
            problems.append(Problem(line, column, _("Too long: at most %(limit)d characters.") % {"limit": limit}))
    if record.local_government_code:
        row_code = normalize_local_government_code(nfkc(record.local_government_code))
        if not is_valid_local_government_code(row_code):
            problems.append(
                Problem(
                    line,
                    "都道府県コード又は市区町村コード",
                    _("“%(value)s” is not a valid local government code.") % {"value": record.local_government_code},
                )
            )
        elif row_code != code and not (row_code[:2] == code[:2] and row_code[2:5] == "000"):
            # A prefecture's own code is accepted: prefectures publish their cities' events.
            problems.append(
                Problem(
                    line,
                    "都道府県コード又は市区町村コード",
                    _("This row belongs to local government %(row)s, not %(code)s.") % {"row": row_code, "code": code},
                )
            )
    return problems


# --- permission ----------------------------------------------------------------------------------


def _require_importer(actor: User | None, *, municipality: Municipality | None, code: str) -> None:
    """Coordinators import into their municipality; `actor=None` is the operator at the command line."""
    if actor is None:
        return
    if municipality is not None:
        allowed = is_coordinator_of(user=actor, municipality_id=municipality.pk)
    else:
        # Only a superuser may bring a new municipality in from the web.
        allowed = bool(getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False))
    if not allowed:
        raise PermissionDenied(
            _("Only a coordinator of %(m)s can import its events.") % {"m": municipality.name if municipality else code}
        )


def _normalized_code(municipality_code: str) -> str:
    code = normalize_local_government_code(municipality_code)
    if not is_valid_local_government_code(code):
        raise RuleViolation(
            _("%(code)s is not a valid local government code.") % {"code": municipality_code},
            field="municipality",
        )
    return code


# --- reading a file into a plan ------------------------------------------------------------------


def events_import_plan(*, actor: User | None, data: bytes, municipality_code: str) -> ImportPlan:
    """Read `data` and say what importing it into the municipality would do; write nothing.

    Raises PermissionDenied for a non-coordinator and RuleViolation when the file is not text;
    every other problem is in `plan.errors` (each with its line and column)."""
    code = _normalized_code(municipality_code)
    municipality = Municipality.objects.filter(code=code).first()
    _require_importer(actor, municipality=municipality, code=code)
    parsed = read_events(data)
    plan = ImportPlan(
        municipality_code=code,
        municipality=municipality,
        municipality_name=municipality.name if municipality else "",
        prefecture_name=municipality.prefecture if municipality else "",
        encoding=parsed.encoding,
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        ignored_columns=parsed.ignored_columns,
    )
    if municipality is None and parsed.records:
        plan.municipality_name = next((r.city for r in parsed.records if r.city), "")
        plan.prefecture_name = next((r.prefecture for r in parsed.records if r.prefecture), "") or prefecture_for_code(
            code
        )
        if not plan.municipality_name:
            plan.errors.append(
                Problem(
                    parsed.records[0].line,
                    "市区町村名",
                    _("%(code)s is not in Manabiya yet; fill in 市区町村名 so it can be added.") % {"code": code},
                )
            )

    first_line_of: dict[str, int] = {}
    for record in parsed.records:
        plan.errors.extend(_check_record(record, code))
        if record.start_date is None:
            continue  # already reported; without a date there is no identity to check
        key = source_key_for(record)
        if key in first_line_of:
            plan.errors.append(
                Problem(
                    record.line,
                    "NO" if record.no else "イベント名",
                    _("Line %(line)d already has this event (same NO, or same name, date and place).")
                    % {"line": first_line_of[key]},
                )
            )
            continue
        first_line_of[key] = record.line
        plan.rows.append(PlannedRow(record=record, source_key=key))

    # The first spelling of a name is the one created, as in _providers_for and _venues_for.
    provider_names: dict[str, str] = {}
    venues: dict[tuple[str, str], tuple[str, str]] = {}
    for r in plan.rows:
        name = provider_name_for(r.record, plan.municipality_name)
        provider_names.setdefault(name_key(name), name)
        if identity := venue_identity(r.record):
            venues.setdefault(_venue_key(identity), identity)
    if municipality is not None:
        _match_existing(plan, municipality)
    # A new event needs a venue; a row without one that updates an event keeps the venue it has
    # (none, for one held online).
    updating = {id(r.record) for r in plan.rows if not r.is_new}
    plan.errors.extend(_venue_missing(r) for r in parsed.records if venue_identity(r) is None and id(r) not in updating)
    if municipality is not None:
        known_providers = {
            name_key(n) for n in Organization.objects.filter(municipality=municipality).values_list("name", flat=True)
        }
        known_venues = {
            (name_key(n), name_key(a))
            for n, a in Venue.objects.filter(municipality=municipality).values_list("name", "address")
        }
    else:
        known_providers, known_venues = set(), set()
    plan.new_providers = sorted(name for key, name in provider_names.items() if key not in known_providers)
    plan.new_venues = sorted(identity[0] for key, identity in venues.items() if key not in known_venues)
    plan.errors.sort(key=lambda p: (p.line, _COLUMN_ORDER.get(p.column, -1)))
    plan.warnings.sort(key=lambda p: (p.line, _COLUMN_ORDER.get(p.column, -1)))
    return plan


def _find_existing(
    rows: list[PlannedRow], municipality: Municipality, *, queryset: models.QuerySet | None = None
) -> dict[str, LearningOpportunity]:
    """The opportunities the rows update, by the row's source key: one imported before by that key,
    one made in Manabiya by the NO its export gave it."""
    taken = exporting.imported_numbers(municipality=municipality)
    native: dict[int, str] = {}
    for row in rows:
        if row.source_key.startswith("no:"):
            pk = exporting.native_id(row.source_key[3:], taken=taken)
            if pk is not None:
                native[pk] = row.source_key
    queryset = LearningOpportunity.objects.all() if queryset is None else queryset
    found = queryset.filter(municipality=municipality).filter(
        models.Q(source_key__in=[row.source_key for row in rows]) | models.Q(source_key="", pk__in=list(native))
    )
    return {o.source_key or native[o.pk]: o for o in found}


def _match_existing(plan: ImportPlan, municipality: Municipality) -> None:
    """Point rows at the opportunities they update, and check the rules those already carry."""
    existing = _find_existing(
        plan.rows,
        municipality,
        queryset=LearningOpportunity.objects.only("id", "source_key", "application_method", "application_opens_at"),
    )
    for row in plan.rows:
        opportunity = existing.get(row.source_key)
        if opportunity is None:
            continue
        row.opportunity_id = opportunity.pk
        record, line = row.record, row.record.line
        closes_at = opportunity_fields(record)["application_closes_at"]
        if opportunity.application_opens_at and closes_at and closes_at <= opportunity.application_opens_at:
            opens = timezone.localtime(opportunity.application_opens_at)
            plan.errors.append(
                Problem(
                    line,
                    "参加申込終了日",
                    _("Applications open on %(date)s in Manabiya; the deadline must come after that.")
                    % {"date": opens.strftime("%Y-%m-%d %H:%M")},
                )
            )
        if opportunity.application_method != ApplicationMethod.NONE and record.capacity is None:
            plan.errors.append(
                Problem(line, "定員", _("This event takes applications in Manabiya, so it needs a capacity."))
            )
        if opportunity.application_method == ApplicationMethod.LOTTERY and closes_at is None:
            plan.errors.append(
                Problem(
                    line,
                    "参加申込終了日",
                    _("This event is a lottery in Manabiya, so it needs an application deadline."),
                )
            )


# --- applying a plan -----------------------------------------------------------------------------


def events_import(
    *,
    actor: User | None,
    data: bytes,
    municipality_code: str,
    progress: ProgressCallback | None = None,
    filename: str = "",
    job_id: str = "",
) -> ImportResult:
    """Import `data` into the municipality: all rows in one transaction, or none.

    Raises EventImportRefused (listing every bad row) when any row is bad, PermissionDenied for a
    non-coordinator, ImportAlreadyApplied when the upload `job_id` was imported already.
    `progress(done, total)` is called as rows are written."""
    plan = events_import_plan(actor=actor, data=data, municipality_code=municipality_code)
    if plan.errors:
        raise EventImportRefused(plan.errors)
    with transaction.atomic():
        return _apply(plan, actor=actor, progress=progress, filename=filename, job_id=job_id)


def _applied(job_id: str) -> dict | None:
    """The audit data of the import of upload `job_id`, if one committed."""
    entries = AuditEntry.objects.filter(action="events.import", data__job=job_id)
    return entries.values_list("data", flat=True).first()


def _apply(
    plan: ImportPlan, *, actor: User | None, progress: ProgressCallback | None, filename: str, job_id: str = ""
) -> ImportResult:
    municipality = plan.municipality or municipality_get_or_create(
        code=plan.municipality_code, name=plan.municipality_name, prefecture=plan.prefecture_name
    )
    # One import per municipality at a time: a second one waits here, then sees the first's keys.
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    # A task run again (its worker lost, or its lease run out while it still ran) imports once.
    if job_id and (applied := _applied(job_id)) is not None:
        raise ImportAlreadyApplied(applied)
    total = len(plan.rows)
    if progress:
        progress(0, total)
    providers, providers_created = _providers_for(plan, municipality, actor)
    venues, venues_created = _venues_for(plan, municipality)
    # Found again under the lock: an import that ran meanwhile has added its keys.
    existing = _find_existing(
        plan.rows,
        municipality,
        queryset=LearningOpportunity.objects.select_for_update(of=("self",))
        .select_related("municipality", "provider", "venue")
        .prefetch_related(
            models.Prefetch("sessions", queryset=Session.objects.select_related("venue").order_by("starts_at"))
        ),
    )
    as_exported = _as_exported(existing.values())
    now = timezone.now()
    created: list[int] = []
    updated: list[int] = []
    unchanged: list[int] = []
    for start in range(0, total, BATCH_SIZE):
        indexed_until = len(created)
        changed: list[int] = []
        batch: list[tuple[PlannedRow, LearningOpportunity]] = []
        for row in plan.rows[start : start + BATCH_SIZE]:
            record = row.record
            provider = providers[name_key(provider_name_for(record, municipality.name))]
            identity = venue_identity(record)
            venue = venues[_venue_key(identity)] if identity else None
            opportunity = existing.get(row.source_key)
            if opportunity is None:
                batch.append((row, _new_opportunity(row, municipality, provider, venue, now)))
                continue
            exported = as_exported.get(opportunity.pk)
            if _update_opportunity(row, opportunity, provider, venue, now, actor, exported=exported):
                changed.append(opportunity.pk)
            else:
                unchanged.append(opportunity.pk)
            updated.append(opportunity.pk)
        created.extend(_create_batch(batch, municipality, actor))
        search_documents.reindex(created[indexed_until:] + changed)
        if progress:
            progress(min(start + BATCH_SIZE, total), total)

    log_action(
        actor=actor,
        action="events.import",
        target=municipality,
        municipality=municipality,
        data={
            **({"job": job_id} if job_id else {}),
            "file": filename,
            "encoding": plan.encoding,
            "rows": total,
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "providers_created": providers_created,
            "venues_created": venues_created,
            "municipality_created": plan.municipality is None,
            "warnings": [p.as_dict() for p in plan.warnings],
        },
    )
    return ImportResult(
        municipality=municipality,
        created=created,
        updated=updated,
        unchanged=unchanged,
        warnings=plan.warnings,
        providers_created=providers_created,
        venues_created=venues_created,
        municipality_created=plan.municipality is None,
    )


def _providers_for(
    plan: ImportPlan, municipality: Municipality, actor: User | None
) -> tuple[dict[str, Organization], int]:
    """Every provider the rows name, by name key; the missing ones created."""
    providers = {name_key(o.name): o for o in Organization.objects.filter(municipality=municipality)}
    created = 0
    for row in plan.rows:
        name = provider_name_for(row.record, municipality.name)
        if name_key(name) not in providers:
            providers[name_key(name)] = organization_create(
                actor=actor,
                municipality=municipality,
                name=name,
                kind=guess_organization_kind(name, municipality.name),
            )
            created += 1
    return providers, created


_VENUE_DETAILS = ("address_detail", "latitude", "longitude", "access", "parking")


def _venues_for(plan: ImportPlan, municipality: Municipality) -> tuple[dict[tuple[str, str], Venue], int]:
    """Every venue the rows name, by name key; the missing ones created, details filled in."""
    details: dict[tuple[str, str], dict[str, Any]] = {}
    identities: dict[tuple[str, str], tuple[str, str]] = {}
    for row in plan.rows:
        identity = venue_identity(row.record)
        if identity is None:
            continue
        key = _venue_key(identity)
        identities.setdefault(key, identity)
        known = details.setdefault(key, {})
        for name in _VENUE_DETAILS:
            value = getattr(row.record, name)
            if name not in known and value not in ("", None):
                known[name] = value
    venues = {(name_key(v.name), name_key(v.address)): v for v in Venue.objects.filter(municipality=municipality)}
    created = 0
    for key, identity in identities.items():
        venue = venues.get(key)
        if venue is None:
            venues[key] = Venue.objects.create(
                municipality=municipality, name=identity[0], address=identity[1], **details[key]
            )
            created += 1
            continue
        changed = [name for name, value in details[key].items() if getattr(venue, name) != value]
        for name in changed:
            setattr(venue, name, details[key][name])
        if changed:
            venue.save(update_fields=[*changed, "updated_at"])
    return venues, created


def _new_opportunity(
    row: PlannedRow, municipality: Municipality, provider: Organization, venue: Venue | None, now: dt.datetime
) -> LearningOpportunity:
    opportunity = LearningOpportunity(
        municipality=municipality,
        provider=provider,
        venue=venue,
        format=Format.IN_PERSON,
        status=Status.PUBLISHED,
        status_changed_at=now,
        published_at=now,
        source_key=row.source_key,
        **opportunity_fields(row.record),
    )
    # The sessions are known here, so set the window now instead of re-reading it per row.
    opportunity.first_starts_at, opportunity.last_ends_at = session_window(row.record.session_times())
    return opportunity


def _create_batch(
    batch: list[tuple[PlannedRow, LearningOpportunity]], municipality: Municipality, actor: User | None
) -> list[int]:
    if not batch:
        return []
    LearningOpportunity.objects.bulk_create([opportunity for _row, opportunity in batch])
    sessions = []
    for row, opportunity in batch:
        for starts_at, ends_at in row.record.session_times():
            session = Session(opportunity=opportunity, starts_at=starts_at, ends_at=ends_at, note=row.record.date_note)
            session.fill_derived()  # bulk_create skips save(), which fills these
            sessions.append(session)
    Session.objects.bulk_create(sessions)
    for row, opportunity in batch:
        log_action(
            actor=actor,
            action="opportunity.import",
            target=opportunity,
            municipality=municipality,
            data={
                "line": row.record.line,
                "source_key": row.source_key,
                "to": Status.PUBLISHED,
                "created": True,
            },
        )
    return [opportunity.pk for _row, opportunity in batch]


def _as_exported(opportunities: Iterable[LearningOpportunity]) -> dict[int, EventRecord]:
    """What Manabiya's export writes of each opportunity now, read back as an import reads a file,
    so that it compares cell for cell with the rows of an uploaded one. Call with the opportunities'
    municipality, provider, venue and sessions (in start order, with their venues) loaded."""
    records = {}
    for opportunity in opportunities:
        record = exporting.event_record_for(opportunity, no=str(opportunity.pk))
        if record is not None:
            records[opportunity.pk] = record
    if not records:
        return {}
    read_back = read_events(events_csv_bytes(records.values())).records
    return {int(record.no): record for record in read_back if record.no.isdigit()}


def _dates(record: EventRecord) -> tuple:
    return record.start_date, record.start_time, record.end_date, record.end_time


def _same_venue(one: EventRecord, other: EventRecord) -> bool:
    ours, theirs = venue_identity(one), venue_identity(other)
    return (ours and _venue_key(ours)) == (theirs and _venue_key(theirs))


def _update_opportunity(
    row: PlannedRow,
    opportunity: LearningOpportunity,
    provider: Organization,
    venue: Venue | None,
    now: dt.datetime,
    actor: User | None,
    *,
    exported: EventRecord | None,
) -> bool:
    """Apply what the row changes; return whether it changed anything. Where a cell says what
    Manabiya's export says now (`exported`), the opportunity keeps what it holds."""
    record = row.record
    municipality_name = opportunity.municipality.name
    as_exported = opportunity_fields(exported) if exported is not None else {}
    changed = []
    for name, value in opportunity_fields(record).items():
        if name in as_exported and as_exported[name] == value:
            continue
        if getattr(opportunity, name) != value:
            setattr(opportunity, name, value)
            changed.append(name)
    same_provider = exported is not None and name_key(provider_name_for(record, municipality_name)) == name_key(
        provider_name_for(exported, municipality_name)
    )
    if not same_provider and opportunity.provider_id != provider.pk:
        opportunity.provider = provider
        changed.append("provider")
    same_venue = venue is None or (exported is not None and _same_venue(record, exported))
    if not same_venue and opportunity.venue_id != (venue.pk if venue else None):
        opportunity.venue = venue
        changed.append("venue")
    previous = opportunity.status
    if previous in REPUBLISHABLE and previous != Status.PUBLISHED:
        opportunity.status = Status.PUBLISHED
        opportunity.status_changed_at = now
        opportunity.published_at = opportunity.published_at or now
    sessions = list(opportunity.sessions.all())
    new_dates = exported is None or _dates(record) != _dates(exported)
    new_note = not new_dates and record.date_note != exported.date_note
    if new_dates or new_note:
        changed.append("sessions")
    if not changed and opportunity.status == previous:
        return False
    opportunity.save()
    getattr(opportunity, "_prefetched_objects_cache", {}).pop("sessions", None)
    if new_dates:
        kept = {s.starts_at: s for s in sessions}
        sessions_sync(
            opportunity=opportunity,
            sessions=[
                SessionSpec(
                    starts_at=start,
                    ends_at=end,
                    note=record.date_note,
                    # A date that stays keeps its row and the venue it has in Manabiya.
                    venue_id=kept[start].venue_id if start in kept else None,
                    id=kept[start].pk if start in kept else None,
                )
                for start, end in record.session_times()
            ],
        )
    elif new_note:
        Session.objects.filter(opportunity=opportunity).update(note=record.date_note)
    log_action(
        actor=actor,
        action="opportunity.import",
        target=opportunity,
        municipality=opportunity.municipality,
        data={
            "line": row.record.line,
            "source_key": row.source_key,
            "fields": changed,
            "from": previous,
            "to": opportunity.status,
            "created": False,
        },
    )
    return True


# --- uploads waiting for confirmation, and their background run ----------------------------------


class JobState(models.TextChoices):
    UPLOADED = "uploaded", gettext_lazy("Checked, waiting for your confirmation")
    QUEUED = "queued", gettext_lazy("Waiting to start")
    RUNNING = "running", gettext_lazy("Importing")
    DONE = "done", gettext_lazy("Imported")
    FAILED = "failed", gettext_lazy("Not imported")


@dataclass
class ImportJob:
    """An uploaded file between preview and import, then the import's progress and outcome.

    Kept in `staging_dir()`, so the web process and the task worker share it without a table (they
    must share that directory): <id>.json is the job; the upload waits as <id>.csv (STAGED) until
    it is confirmed, which renames it <id>.confirmed.csv (CLAIMED). The rename is the claim — one
    request wins it — so an upload is imported once however often it is confirmed. The claimed
    file is deleted when its import ends, and `import_jobs_prune` clears out the rest.

    While the import runs, `done` counts rows written inside its still-open transaction; a failure
    rolls them back and resets `done` to 0, and DONE is written only after the commit."""

    id: str
    municipality_code: str
    user_id: int | None
    filename: str = ""
    language: str = ""
    state: str = JobState.UPLOADED
    done: int = 0
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    message: str = ""
    uploaded_at: str = ""
    finished_at: str = ""
    task_id: str = ""  # the background task's result id, kept in <id>.task (see `_job_task_set`)

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def is_under_way(self) -> bool:
        return self.state in (JobState.QUEUED, JobState.RUNNING)

    @property
    def state_label(self) -> str:
        return JobState(self.state).label

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else (100 if self.is_finished else 0)


STAGED = ".csv"
CLAIMED = ".confirmed.csv"
TASK = ".task"

# A task in one of these states will still run the import; any other, or none, never will.


def staging_dir() -> Path:
    """Where uploads wait: IMPORT_STAGING_DIR if set, else <var>/imports — private, not under
    MEDIA_ROOT, since it is not for the public."""
    configured = getattr(settings, "IMPORT_STAGING_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "imports"


def _job_path(job_id: str, suffix: str) -> Path:
    # Parsing the id as a UUID keeps user text out of the path.
    return staging_dir() / f"{uuid.UUID(job_id)}{suffix}"


def _write_atomically(path: Path, text: str) -> None:
    # A temporary file of its own: two runs of one task may write the job at the same moment.
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)  # readers never see half a file


def _job_save(job: ImportJob) -> None:
    _write_atomically(_job_path(job.id, ".json"), json.dumps(asdict(job), ensure_ascii=False))


def _job_task_set(job_id: str, task_id: str) -> None:
    """Remember the job's task. Its own file, so that the worker's writes of the job never race it."""
    _write_atomically(_job_path(job_id, TASK), str(task_id))


def _job_fail(job: ImportJob, message: str, *, errors: Iterable[Problem] = ()) -> None:
    """Record that nothing was imported. The transaction rolled back, so no row counts as done."""
    job.state, job.message, job.done = JobState.FAILED, message, 0
    job.errors = [p.as_dict() for p in errors]
    job.finished_at = timezone.now().isoformat()
    _job_save(job)


def import_job_get(*, job_id: str) -> ImportJob | None:
    try:
        text = _job_path(job_id, ".json").read_text()
    except (ValueError, FileNotFoundError):
        return None
    job = ImportJob(**json.loads(text))
    with contextlib.suppress(FileNotFoundError):
        job.task_id = _job_path(job_id, TASK).read_text().strip()
    return job


def _task_status(job: ImportJob) -> str | None:
    """What the task queue records of the job's task; see `core.worker.task_status`."""
    from .tasks import import_events_task  # the task module imports this one

    return task_status(import_events_task, job.task_id)


def _job_done_from(job: ImportJob, applied: dict) -> None:
    """Record an import that committed (its audit data `applied`) as the job's outcome."""
    job.state, job.message, job.errors = JobState.DONE, "", []
    job.created, job.updated = len(applied.get("created", [])), len(applied.get("updated", []))
    job.warnings = applied.get("warnings", [])
    job.done = job.total = job.created + job.updated
    job.finished_at = timezone.now().isoformat()
    _job_save(job)
    _job_path(job.id, CLAIMED).unlink(missing_ok=True)


def _job_enqueue(job: ImportJob) -> ImportJob:
    """Queue the job's task (the job is QUEUED and its upload claimed) and remember which it is."""
    from .tasks import import_events_task  # the task module imports this one

    try:
        result = import_events_task.enqueue(job_id=job.id)
    except Exception:
        # Nothing will run it, and the claimed upload cannot be confirmed again: say so.
        current = import_job_get(job_id=job.id)
        if current is not None and current.state == JobState.QUEUED:
            _job_fail(current, _("The import could not be started; nothing was saved. Upload the file again."))
            _job_path(job.id, CLAIMED).unlink(missing_ok=True)
        raise
    _job_task_set(job.id, result.id)
    return import_job_get(job_id=job.id) or job


def import_job_recover(*, job: ImportJob, requeue: bool = False) -> ImportJob:
    """Bring up to date a job said to be under way whose task will never finish it (the task failed,
    finished without recording the outcome, or is gone): DONE if its import committed; queued again
    when `requeue` and only the task's record is missing (the upload is still here); otherwise
    FAILED, saying so. A job whose task is still queued or running is returned as it is."""
    if not job.is_under_way:
        return job
    status = _task_status(job)
    if status is None or status in TASK_ALIVE:
        return job
    applied = _applied(job.id)
    if applied is not None:
        _job_done_from(job, applied)
        return job
    if requeue and status == TASK_MISSING and _job_path(job.id, CLAIMED).exists():
        job.state, job.done = JobState.QUEUED, 0
        _job_save(job)
        return _job_enqueue(job)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        _job_fail(
            job,
            _(
                "The import stopped: the background worker running it was lost, and nothing was saved. "
                "Upload the file again."
            ),
        )
    _job_path(job.id, CLAIMED).unlink(missing_ok=True)
    return job


def import_job_stage(
    *, actor: User, municipality: Municipality, data: bytes, filename: str, language: str
) -> ImportJob:
    """Keep an uploaded file until the coordinator confirms it."""
    _require_importer(actor, municipality=municipality, code=municipality.code)
    staging_dir().mkdir(parents=True, exist_ok=True)
    job = ImportJob(
        id=str(uuid.uuid4()),
        municipality_code=municipality.code,
        user_id=actor.pk,
        filename=filename,
        language=language,
        uploaded_at=timezone.now().isoformat(),
    )
    _job_path(job.id, STAGED).write_bytes(data)
    _job_save(job)
    return job


def import_job_confirm(*, actor: User, job_id: str) -> ImportJob:
    """Start the import of a staged file in the background. Only its uploader may, and only once:
    of two confirmations at the same moment (a double click, a second tab) one claims the upload
    and queues it; the other gets the job as it stands. Confirming a job whose task is gone
    queues it again, or says it failed (`import_job_recover`)."""
    job = import_job_get(job_id=job_id)
    if job is None:
        raise RuleViolation(_("This upload is no longer here; upload the file again."))
    municipality = Municipality.objects.filter(code=job.municipality_code).first()
    if job.user_id != actor.pk:
        raise PermissionDenied(_("Only the coordinator who uploaded this file can confirm it."))
    _require_importer(actor, municipality=municipality, code=job.municipality_code)
    if job.state != JobState.UPLOADED:
        # Confirmed already: one import is enough, unless its task will never run it.
        return import_job_recover(job=job, requeue=True)
    try:
        # Atomic on one file system: exactly one of two racing requests renames the file.
        os.rename(_job_path(job.id, STAGED), _job_path(job.id, CLAIMED))
    except FileNotFoundError:
        current = import_job_get(job_id=job.id)  # claimed by the other request, or pruned
        if current is None:
            raise RuleViolation(_("This upload is no longer here; upload the file again.")) from None
        return current
    job.state = JobState.QUEUED
    _job_save(job)
    return _job_enqueue(job)


def import_job_run(*, job_id: str) -> dict[str, Any]:
    """The background task's work: import a confirmed upload, recording progress and outcome.

    Call outside a transaction, as the task worker does: DONE is recorded on commit. Safe to run
    twice, and again after a run that was killed (the job still says RUNNING): see the module's
    docstring. The claimed upload is deleted once the job has its outcome; a run stopped before
    that leaves it for the next."""
    job = import_job_get(job_id=job_id)
    if job is None or job.state not in (JobState.QUEUED, JobState.RUNNING):
        return {"state": job.state if job else "missing"}
    csv_path = _job_path(job.id, CLAIMED)
    try:
        _job_run(job, csv_path)
    finally:
        if job.is_finished:
            csv_path.unlink(missing_ok=True)
    return {"state": job.state, "created": job.created, "updated": job.updated, "errors": len(job.errors)}


def _job_run(job: ImportJob, csv_path: Path) -> None:
    actor = User.objects.filter(pk=job.user_id).first() if job.user_id else None
    job.state = JobState.RUNNING
    _job_save(job)
    last_percent = -1

    def progress(done: int, total: int) -> None:
        nonlocal last_percent
        job.done, job.total = done, total
        percent = int(done * 100 / total) if total else 100
        if percent != last_percent:
            last_percent = percent
            _job_save(job)

    def finish(result: ImportResult) -> None:
        job.state = JobState.DONE
        job.created, job.updated = len(result.created), len(result.updated)
        job.warnings = [p.as_dict() for p in result.warnings]
        job.done = job.total = len(result.created) + len(result.updated)
        job.finished_at = timezone.now().isoformat()
        _job_save(job)
        csv_path.unlink(missing_ok=True)

    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            if actor is None:
                raise PermissionDenied(_("The account that uploaded this file no longer exists."))
            try:
                data = csv_path.read_bytes()
            except FileNotFoundError:
                # A run before this one ended the job and took the upload with it, or it was pruned.
                applied = _applied(job.id)
                if applied is None:
                    raise RuleViolation(_("The uploaded file is no longer here; nothing was imported.")) from None
                raise ImportAlreadyApplied(applied) from None
            result = events_import(
                actor=actor,
                data=data,
                municipality_code=job.municipality_code,
                progress=progress,
                filename=job.filename,
                job_id=job.id,
            )
        except ImportAlreadyApplied as applied:
            _job_done_from(job, applied.data)
        except EventImportRefused as refused:
            _job_fail(job, refused.message, errors=refused.errors)
        except (RuleViolation, PermissionDenied) as violation:
            _job_fail(job, violation.message)
        except Exception:
            _job_fail(job, _("The import stopped on an unexpected error; nothing was saved."))
            raise  # the task backend records the traceback
        else:
            # Immediately when called outside a transaction; inside one, only once it commits.
            transaction.on_commit(lambda: finish(result))


@dataclass
class PruneResult:
    uploads: int = 0  # staged uploads never confirmed (and stray files of half-staged ones)
    finished: int = 0  # done or failed imports
    stuck: int = 0  # imports said to be under way whose task will never finish them


def import_jobs_prune(*, older_than: dt.timedelta) -> PruneResult:
    """Delete from `staging_dir()` the uploads never confirmed, the finished imports and the stuck
    ones (under way, but their task failed, finished or is gone: see `import_job_recover`) whose
    job was last written more than `older_than` ago. Imports whose task is still queued or running
    are left alone, and so are files that are not a job's."""
    directory = staging_dir()
    result = PruneResult()
    if not directory.is_dir():
        return result
    cutoff = timezone.now().timestamp() - older_than.total_seconds()
    files: dict[str, list[Path]] = {}
    for path in directory.iterdir():
        head = path.name.split(".", 1)[0]
        try:
            if str(uuid.UUID(head)) != head:
                continue
        except ValueError:
            continue
        files.setdefault(head, []).append(path)
    for job_id, paths in files.items():
        kind = _prune_job(job_id, paths, cutoff)
        if kind == JobState.UPLOADED:
            result.uploads += 1
        elif kind in (JobState.QUEUED, JobState.RUNNING):
            result.stuck += 1
        elif kind is not None:
            result.finished += 1
    return result


def _modified_before(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return True


def _prune_job(job_id: str, paths: list[Path], cutoff: float) -> str | None:
    """Delete one job's files if it is old enough and not under way; the state it had, or None."""
    json_path = _job_path(job_id, ".json")
    if json_path not in paths:
        # Staging stopped between writing the upload and its job: a stray, never confirmable.
        if not all(_modified_before(path, cutoff) for path in paths):
            return None
        for path in paths:
            path.unlink(missing_ok=True)
        return JobState.UPLOADED
    if not _modified_before(json_path, cutoff):
        return None
    job = import_job_get(job_id=job_id)
    if job is None:
        return None
    state = job.state
    if job.is_under_way and not import_job_recover(job=job).is_finished:
        return None  # its task is still queued or running
    if job.state == JobState.UPLOADED:
        try:
            _job_path(job_id, STAGED).unlink()  # the same claim as a confirmation's rename
        except FileNotFoundError:
            current = import_job_get(job_id=job_id)
            if current is None or current.state != JobState.UPLOADED or _job_path(job_id, CLAIMED).exists():
                return None  # confirmed since it was read
    for path in [*paths, _job_path(job_id, TASK)]:
        path.unlink(missing_ok=True)
    return state
