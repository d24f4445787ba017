"""The 自治体標準オープンデータセット「イベント一覧」 CSV: reading and writing, no database.

Reading turns the bytes of a file into typed `EventRecord`s plus a list of `Problem`s, each naming
the physical line of the file (the header is line 1), the column and what is wrong. Files in the
wild differ from the specification, so reading is forgiving where the meaning stays clear:

- Encoding: a UTF-8 byte-order mark means UTF-8; otherwise the bytes are decoded as strict UTF-8,
  and only if that fails as cp932 (Windows' Shift_JIS, what Excel saves). The two tell apart
  reliably: UTF-8 requires every byte above 0x7F to sit in a lead/continuation pattern that
  Japanese text in cp932 practically never forms, so cp932 text fails strict UTF-8 at its first
  kanji; ASCII-only files read the same either way.
- Headers are matched by name, not position, after NFKC and with spaces, underscores and brackets
  removed: 料金（基本）, 料金(基本) and 料金 基本 are one column. Columns the standard does not
  define (cities append their own after 備考) are ignored.
- Cells are NFKC-normalised before being read as dates, times and numbers (５００円 → 500).
- 緯度 and 経度 written the wrong way round are swapped back, with a warning, when only the
  swapped pair lies in Japan.

Writing defuses spreadsheet formulas: a text cell that a spreadsheet would run as a formula
(starting with =, +, -, @, a tab or a carriage return) is written behind a single quote, and
reading takes that quote off again, so a written file reads back exactly (`escape_formula`,
`unescape_formula`). Typed columns — dates, times, the fee, the capacity, the coordinates — are
written as they are, and so is a text cell that is a plain number (a NO of -1 is data).

The session rule — how 開始日..終了日 and 開始時間/終了時間 become dated sessions, and back — lives
here too (`EventRecord.session_times`, `dates_from_sessions`) so import and export agree.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from manabiya.core.errors import RuleViolation

COLUMNS: tuple[str, ...] = (
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
)

# Without these a row cannot be an event; a file whose header lacks them is refused whole.
REQUIRED_COLUMNS: tuple[str, ...] = ("イベント名", "開始日")

# A span of up to this many calendar days with a start time is one session per day.
DAILY_SESSIONS_MAX_DAYS = 7

# Where Japan lies, generously (Okinotorishima to Etorofu, Yonaguni to Minamitorishima).
JAPAN_LATITUDE = (Decimal(20), Decimal(46))
JAPAN_LONGITUDE = (Decimal(122), Decimal(154))

MIDNIGHT = dt.time(0, 0)


@dataclass(frozen=True)
class Problem:
    """Something wrong (or corrected) in a file: physical `line` (header = 1), `column` ("" for the
    whole row or file) and a translated `message`."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("line %(line)d, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("line %(line)d: %(message)s") % {"line": self.line, "message": self.message}

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class EventRecord:
    """One row of the file, typed. Text is stripped but otherwise kept as written."""

    line: int = 0
    local_government_code: str = ""
    no: str = ""
    prefecture: str = ""
    city: str = ""
    title: str = ""
    title_kana: str = ""
    title_en: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    date_note: str = ""
    description: str = ""
    fee: int = 0
    fee_note: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_extension: str = ""
    organizer: str = ""
    place_name: str = ""
    address: str = ""
    address_detail: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    access: str = ""
    parking: str = ""
    capacity: int | None = None
    application_end_date: dt.date | None = None
    application_end_time: dt.time | None = None
    application_method: str = ""
    url: str = ""
    remarks: str = ""

    def session_times(self) -> list[tuple[dt.datetime, dt.datetime | None]]:
        """The sessions this row describes, as aware (start, end) pairs in the local zone.

        The standard has one row per event and no list of dates, so the rule is:

        - One day: one session, 開始時間 to 終了時間.
        - 2 to 7 days (DAILY_SESSIONS_MAX_DAYS) with a 開始時間: one session per day, each from
          開始時間 to 終了時間 — a summer workshop on three mornings meets three times.
        - Longer, or without a 開始時間: one session from the first day to the last — an exhibition
          or a festival is open throughout; a day-by-day list would be noise.

        A missing 開始時間 means the whole day: the session starts at 00:00. A missing 終了時間
        leaves a one-day (or each daily) session without an end; a session spanning days then ends
        at 24:00 of 終了日, and so does an all-day one. `dates_from_sessions` reads this back.
        Precondition: the row read without errors (start_date is set).
        """
        if self.start_date is None:
            raise ValueError("a row without 開始日 has no sessions")
        start_date = self.start_date
        end_date = self.end_date or start_date
        days = (end_date - start_date).days + 1

        def at(day: dt.date, time: dt.time) -> dt.datetime:
            return timezone.make_aware(dt.datetime.combine(day, time))

        if self.start_time is not None and 1 < days <= DAILY_SESSIONS_MAX_DAYS:
            return [
                (at(day, self.start_time), at(day, self.end_time) if self.end_time else None)
                for day in (start_date + dt.timedelta(days=n) for n in range(days))
            ]
        start = at(start_date, self.start_time or MIDNIGHT)
        if self.end_time is not None:
            end = at(end_date, self.end_time)
        elif days == 1 and self.start_time is not None:
            end = None
        else:
            end = at(end_date + dt.timedelta(days=1), MIDNIGHT)
        return [(start, end)]


def dates_from_sessions(
    *, first_start: dt.datetime, last_start: dt.datetime, last_end: dt.datetime | None
) -> tuple[dt.date, dt.time | None, dt.date, dt.time | None]:
    """開始日, 開始時間, 終了日, 終了時間 for sessions running from `first_start` to the last
    session (`last_start`..`last_end`); the inverse of `EventRecord.session_times`.

    00:00 stands for "no time": a start at midnight leaves 開始時間 empty, an end at midnight after
    the last start day is 24:00 of the day before, written as that day with no 終了時間.
    """
    first = timezone.localtime(first_start)
    start_time = None if first.time() == MIDNIGHT else first.time()
    last_start_local = timezone.localtime(last_start)
    if last_end is None:
        return first.date(), start_time, last_start_local.date(), None
    end = timezone.localtime(last_end)
    if end.time() == MIDNIGHT and end.date() > last_start_local.date():
        return first.date(), start_time, end.date() - dt.timedelta(days=1), None
    return first.date(), start_time, end.date(), end.time()


@dataclass
class ParsedFile:
    encoding: str
    records: list[EventRecord] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


# --- reading -------------------------------------------------------------------------------------


_NOT_TEXT = ("\x00", "\x80", "\uf8f0", "\uf8f1", "\uf8f2", "\uf8f3")


def decode(data: bytes) -> tuple[str, str]:
    """The text of `data` and the encoding it was in: "utf-8-sig", "utf-8" or "cp932"."""
    encodings = ("utf-8-sig",) if data.startswith(b"\xef\xbb\xbf") else ("utf-8", "cp932")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # NUL is never in a CSV (UTF-16, a spreadsheet's binary format); the others are what
        # Python's cp932 makes of bytes Shift_JIS leaves undefined.
        if not any(char in text for char in _NOT_TEXT):
            return text, encoding
    raise RuleViolation(
        _("The file is neither UTF-8 nor Shift_JIS (cp932) text. Save it from Excel as CSV and try again."),
        field="file",
    )


def nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _header_key(cell: str) -> str:
    return re.sub(r"[\s_()\[\]【】]", "", nfkc(cell).lstrip("\ufeff")).upper()


_COLUMN_BY_KEY = {_header_key(column): column for column in COLUMNS}


def map_header(header: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Where each standard column is: ({column: index}, ignored extra headers, repeated columns).
    The first of two headers naming the same column wins."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    repeated: list[str] = []
    for index, cell in enumerate(header):
        column = _COLUMN_BY_KEY.get(_header_key(cell))
        if column is None:
            if cell.strip():
                ignored.append(cell.strip())
        elif column in positions:
            repeated.append(column)
        else:
            positions[column] = index
    return positions, ignored, repeated


class _CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)
_TIME_PATTERNS = (
    re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?"),
    re.compile(r"(\d{1,2})時(?:(\d{1,2})分)?"),
)


def parse_date(value: str) -> dt.date | None:
    """2026-12-01, 2026/12/1, 2026.12.1 or 2026年12月1日; empty → None."""
    text = nfkc(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise _CellError(_("“%(value)s” is not a date; write it like 2026-12-01 or 2026/12/1.") % {"value": value})


def parse_time(value: str) -> dt.time | None:
    """10:00, 10:00:00 or 10時30分; empty → None."""
    text = nfkc(value)
    if not text:
        return None
    for pattern in _TIME_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return dt.time(*(int(g or 0) for g in match.groups()))
            except ValueError:
                break
    raise _CellError(_("“%(value)s” is not a time; write it like 10:00 or 10:00:00.") % {"value": value})


MAX_INTEGER = 2_147_483_647


def parse_yen(value: str) -> int:
    """無料, 0, 500, ５００円 or 1,000円; empty counts as free (0)."""
    text = re.sub(r"[\s,円¥]", "", nfkc(value))
    if text in ("", "無料"):
        return 0
    if text.isascii() and text.isdigit() and int(text) <= MAX_INTEGER:
        return int(text)
    raise _CellError(
        _("“%(value)s” is not a fee; write a whole number of yen such as 500, or 無料.") % {"value": value}
    )


def parse_capacity(value: str) -> int | None:
    """30, ３０人 or 30名; empty, 0 and なし mean no set capacity (None)."""
    text = re.sub(r"[\s,人名]", "", nfkc(value))
    if text in ("", "0", "なし", "無し", "制限なし", "定員なし"):
        return None
    if text.isascii() and text.isdigit() and int(text) <= MAX_INTEGER:
        return int(text)
    raise _CellError(_("“%(value)s” is not a number of people; write a whole number such as 30.") % {"value": value})


def parse_coordinate(value: str) -> Decimal | None:
    text = nfkc(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise _CellError(_("“%(value)s” is not a number in degrees, such as 35.6995.") % {"value": value})
    return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def _in_japan(latitude: Decimal, longitude: Decimal) -> bool:
    return JAPAN_LATITUDE[0] <= latitude <= JAPAN_LATITUDE[1] and JAPAN_LONGITUDE[0] <= longitude <= JAPAN_LONGITUDE[1]


_url_validator = URLValidator(schemes=["http", "https"])


def _text(value: str) -> str:
    return unescape_formula(value.replace("\r\n", "\n").replace("\r", "\n").strip())


# What a spreadsheet may take for the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile("'*[" + re.escape("".join(FORMULA_STARTS)) + "]")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def escape_formula(value: str) -> str:
    """`value` as a cell no spreadsheet runs: one single quote before a formula start.

    Values that already start with quotes before a formula start get one more, so that
    `unescape_formula` can tell them apart and reading gives back exactly what was written.
    A plain number (-1, +3.5) is data, not a formula, and is left as it is."""
    if _ESCAPED.match(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """Undo `escape_formula`: drop one single quote before quotes and a formula start."""
    if value.startswith("'") and _ESCAPED.match(value):
        return value[1:]
    return value


# Text columns and the EventRecord attribute each fills.
_TEXT_COLUMNS = {
    "都道府県コード又は市区町村コード": "local_government_code",
    "NO": "no",
    "都道府県名": "prefecture",
    "市区町村名": "city",
    "イベント名": "title",
    "イベント名_カナ": "title_kana",
    "イベント名_英語": "title_en",
    "開始日時特記事項": "date_note",
    "説明": "description",
    "料金(詳細)": "fee_note",
    "連絡先名称": "contact_name",
    "連絡先電話番号": "contact_phone",
    "連絡先内線番号": "contact_extension",
    "主催者": "organizer",
    "場所名称": "place_name",
    "住所": "address",
    "方書": "address_detail",
    "アクセス方法": "access",
    "駐車場情報": "parking",
    "参加申込方法": "application_method",
    "URL": "url",
    "備考": "remarks",
}
_TYPED_COLUMNS = {
    "開始日": ("start_date", parse_date),
    "終了日": ("end_date", parse_date),
    "開始時間": ("start_time", parse_time),
    "終了時間": ("end_time", parse_time),
    "料金(基本)": ("fee", parse_yen),
    "定員": ("capacity", parse_capacity),
    "緯度": ("latitude", parse_coordinate),
    "経度": ("longitude", parse_coordinate),
    "参加申込終了日": ("application_end_date", parse_date),
    "参加申込終了時間": ("application_end_time", parse_time),
}


def parse_row(line: int, cells: dict[str, str]) -> tuple[EventRecord, list[Problem], list[Problem]]:
    """A row (cells by standard column name) as a record, its errors and its warnings.
    Every problem of the row is reported, not only the first."""
    record = EventRecord(line=line)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for column, attribute in _TEXT_COLUMNS.items():
        setattr(record, attribute, _text(cells.get(column, "")))
    for column, (attribute, parse) in _TYPED_COLUMNS.items():
        try:
            setattr(record, attribute, parse(cells.get(column, "")))
        except _CellError as error:
            errors.append(Problem(line, column, error.message))
    bad = {p.column for p in errors}

    if not record.title:
        errors.append(Problem(line, "イベント名", _("Enter the event name.")))
    if record.start_date is None and "開始日" not in bad:
        errors.append(Problem(line, "開始日", _("Enter the start date.")))
    if record.start_date and record.end_date and record.end_date < record.start_date:
        errors.append(Problem(line, "終了日", _("The end date is before the start date.")))
    if record.end_time and record.start_time is None and "開始時間" not in bad:
        errors.append(Problem(line, "開始時間", _("Give the start time as well as the end time.")))
    if (
        record.start_time
        and record.end_time
        and record.end_time <= record.start_time
        and record.start_date
        and (record.end_date or record.start_date) - record.start_date < dt.timedelta(days=DAILY_SESSIONS_MAX_DAYS)
    ):
        errors.append(Problem(line, "終了時間", _("The end time is not after the start time.")))
    if record.application_end_time and record.application_end_date is None and "参加申込終了日" not in bad:
        errors.append(Problem(line, "参加申込終了日", _("Give the application deadline's date as well as its time.")))
    if record.url:
        try:
            _url_validator(record.url)
        except ValidationError:
            errors.append(Problem(line, "URL", _("Enter a full web address starting with http:// or https://.")))

    _check_coordinates(record, errors, warnings, bad)
    return record, errors, warnings


def _check_coordinates(record: EventRecord, errors: list[Problem], warnings: list[Problem], bad: set[str]) -> None:
    line = record.line
    latitude, longitude = record.latitude, record.longitude
    if "緯度" in bad or "経度" in bad:
        return
    if (latitude is None) != (longitude is None):
        missing = "緯度" if latitude is None else "経度"
        errors.append(Problem(line, missing, _("Give both latitude and longitude, or neither.")))
        return
    if latitude is None or longitude is None:
        return
    if not _in_japan(latitude, longitude) and _in_japan(longitude, latitude):
        record.latitude, record.longitude = longitude, latitude
        warnings.append(
            Problem(line, "緯度", _("緯度 and 経度 were the wrong way round; they have been swapped back."))
        )
        return
    if not -90 <= latitude <= 90:
        errors.append(Problem(line, "緯度", _("A latitude lies between -90 and 90 degrees.")))
    if not -180 <= longitude <= 180:
        errors.append(Problem(line, "経度", _("A longitude lies between -180 and 180 degrees.")))


def read_events(data: bytes) -> ParsedFile:
    """Decode and read a whole file. Raises RuleViolation when the bytes are not text at all;
    everything else wrong is in the returned `errors`, one Problem per bad cell."""
    text, encoding = decode(data)
    parsed = ParsedFile(encoding=encoding)
    # newline="" hands line endings to the csv module, so quoted cells may hold line breaks.
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    positions: dict[str, int] = {}
    while True:
        line = reader.line_num + 1  # the physical line this record starts on
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            parsed.errors.append(Problem(line, "", _("The CSV cannot be read here: %(error)s") % {"error": error}))
            break
        if header is None:
            if not any(cell.strip() for cell in row):
                continue
            header = row
            positions, parsed.ignored_columns, repeated = map_header(header)
            for column in repeated:
                parsed.warnings.append(Problem(line, column, _("This column appears twice; the first one is used.")))
            missing = [column for column in REQUIRED_COLUMNS if column not in positions]
            for column in missing:
                parsed.errors.append(
                    Problem(line, column, _("The header has no %(column)s column.") % {"column": column})
                )
            if missing:
                return parsed
            continue
        if not any(cell.strip() for cell in row):
            continue  # Excel leaves rows of empty cells at the end
        cells = {column: row[index] if index < len(row) else "" for column, index in positions.items()}
        record, errors, warnings = parse_row(line, cells)
        parsed.records.append(record)
        parsed.errors.extend(errors)
        parsed.warnings.extend(warnings)
    if header is None:
        parsed.errors.append(Problem(1, "", _("The file is empty.")))
    elif not parsed.records and not parsed.errors:
        parsed.errors.append(Problem(1, "", _("The file has a header but no events.")))
    return parsed


# --- writing -------------------------------------------------------------------------------------


def _format_decimal(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def _date_cell(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _time_cell(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def record_cells(record: EventRecord) -> list[str]:
    """The cells of one row, in COLUMNS order; text cells with formulas defused."""
    date, time = _date_cell, _time_cell
    values = {column: escape_formula(getattr(record, attribute)) for column, attribute in _TEXT_COLUMNS.items()}
    values.update(
        {
            "開始日": date(record.start_date),
            "終了日": date(record.end_date),
            "開始時間": time(record.start_time),
            "終了時間": time(record.end_time),
            "料金(基本)": str(record.fee),
            "定員": "" if record.capacity is None else str(record.capacity),
            "緯度": _format_decimal(record.latitude),
            "経度": _format_decimal(record.longitude),
            "参加申込終了日": date(record.application_end_date),
            "参加申込終了時間": time(record.application_end_time),
        }
    )
    return [values[column] for column in COLUMNS]


def write_events(records: Iterable[EventRecord], stream: io.TextIOBase) -> None:
    """Write the header and one row per record, CRLF line ends as the standard's samples have.
    Open `stream` with newline="" (and encoding="utf-8-sig" for Excel)."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(record_cells(record))


def events_csv_bytes(records: Iterable[EventRecord]) -> bytes:
    """The file as UTF-8 with a byte-order mark, so Excel opens it without mojibake."""
    buffer = io.StringIO(newline="")
    write_events(records, buffer)
    return buffer.getvalue().encode("utf-8-sig")
