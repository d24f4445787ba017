"""The roster as a table: one row per participant, for CSV (Excel-readable, BOM) and .xlsx."""

import csv
import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from manabiya.catalog.eventcsv import escape_formula

from .models import Application


def _date(application: Application) -> str:
    if application.session is None:
        return ""
    return timezone.localtime(application.session.starts_at).strftime("%Y-%m-%d %H:%M")


def roster_rows(applications: list[Application]) -> tuple[list[str], list[list]]:
    header = [
        _("Application"), _("Status"), _("Waiting place"), _("Date"), _("Name"), _("Furigana"), _("Participant"),
        _("Age"), _("Email"), _("Phone"), _("Childcare ages"), _("Applied"), _("Applied at the counter"),
        _("Check-in code"), _("Answers"),
    ]  # fmt: skip
    rows = []
    for application in applications:
        answers = " / ".join(f"{q}: {a}" for q, a in application.answers.items())
        for participant in application.participants.all():
            rows.append([
                application.pk, application.get_status_display(), application.waiting_rank or "",
                _date(application), application.name,
                application.name_kana, participant.name, participant.age if participant.age is not None else "",
                application.email, application.phone, ", ".join(str(a) for a in application.childcare_ages),
                timezone.localtime(application.created_at).strftime("%Y-%m-%d %H:%M"),
                _("yes") if application.channel == "counter" else "", application.checkin_code, answers,
            ])  # fmt: skip
    # What citizens typed (names, answers) must not run as a formula in the spreadsheet staff open.
    return header, [[escape_formula(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]


def roster_csv(applications: list[Application]) -> bytes:
    header, rows = roster_rows(applications)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    # The BOM makes Excel, which Japanese offices open CSV files with, read UTF-8.
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


# Excel refuses these in a sheet's name, and a name longer than 31 characters or quoted at either end.
_SHEET_TITLE_REFUSED = re.compile(r"[\\/?*\[\]:]")
_SHEET_TITLE_LENGTH = 31


def sheet_title(title: str) -> str:
    """`title` as Excel takes a sheet's name: refused characters become spaces, control characters
    go, at most 31 characters, no quote at either end, never empty nor Excel's reserved "History"."""
    cleaned = _SHEET_TITLE_REFUSED.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", title))
    cleaned = " ".join(cleaned.split())[:_SHEET_TITLE_LENGTH].strip(" '")
    if not cleaned or cleaned.casefold() == "history":
        return "roster"
    return cleaned


def _cell(value):
    # Control characters (a pasted form feed, a stray bell) cannot be written to a worksheet.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def roster_xlsx(applications: list[Application], *, title: str) -> bytes:
    header, rows = roster_rows(applications)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
