"""PDFs of the learning passport (学習手帳): the certificate, the card to carry, the learning history.

Japanese text uses an embedded TrueType font when one is installed, so every viewer shows the same glyphs; without
one, reportlab's CID font is referenced (not embedded) and viewers substitute. Either way the text extracts.
"""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
)
_CID_FONT = "HeiseiKakuGo-W5"
INK = colors.HexColor("#1f2a44")
STAMP_RED = colors.HexColor("#c8102e")


@dataclass(frozen=True, kw_only=True)
class CertificateData:
    recipient_name: str
    title: str
    programme_name: str
    credits: Decimal | None
    issued_on: date
    issuer_name: str
    verification_url: str
    credential_id: str
    kind: str  # "level" or "certification"
    revoked: bool = False


@dataclass(frozen=True, kw_only=True)
class CardData:
    holder_name: str
    holder_kana: str = ""
    number: str
    programme_name: str
    municipality_name: str
    qr_payload: str
    valid_until: date | None = None


@dataclass(frozen=True, kw_only=True)
class HistoryRow:
    date: date
    opportunity: str
    provider: str
    category: str
    credits: Decimal
    source: str


@dataclass(frozen=True, kw_only=True)
class HistoryData:
    learner_name: str
    programme_name: str
    printed_on: date
    total_credits: Decimal
    rows: list[HistoryRow]


@cache
def _register_ttf(path: str) -> str | None:
    name = f"ManabiyaJP-{Path(path).stem}"
    try:
        pdfmetrics.registerFont(TTFont(name, path))
    except (TTFError, OSError):  # a collection (.ttc) or CFF-outlined font reportlab cannot embed
        return None
    return name


@cache
def _register_cid() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(_CID_FONT))
    return _CID_FONT


def _font() -> str:
    """The registered name of the font for all text: the configured or installed TTF, else the CID font."""
    # Read the setting on every call (registration itself is cached) so an override takes effect.
    for path in (getattr(settings, "MANABIYA_PDF_FONT", ""), *_FONT_CANDIDATES):
        if path and Path(path).is_file() and (name := _register_ttf(str(path))):
            return name
    return _register_cid()


def _is_japanese() -> bool:
    return (get_language() or "").split("-")[0] == "ja"


def _format_date(value: date, *, short: bool = False) -> str:
    # Japanese documents write 2026年12月7日; elsewhere spell the (translated) month out: 7 December 2026.
    if _is_japanese():
        return dateformat.format(value, "Y/m/d" if short else "Y年n月j日")
    return dateformat.format(value, "j M Y" if short else "j F Y")


def _format_credits(value: Decimal) -> str:
    return f"{value.normalize():f}"  # 30.0 → "30", 12.50 → "12.5", never "3E+1"


def _style(size: float, *, align: int = TA_LEFT, color: colors.Color = INK) -> ParagraphStyle:
    # CJK wrapping breaks between any two Japanese characters, which have no spaces to break at.
    font = {"fontName": _font(), "wordWrap": "CJK"}
    return ParagraphStyle("manabiya", fontSize=size, leading=size * 1.45, alignment=align, textColor=color, **font)


def _canvas(buffer: io.BytesIO, *, title: str, author: str) -> Canvas:
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Manabiya")
    return canvas


def _draw_text(
    canvas: Canvas, text: str, *, x: float, y: float, size: float, width: float, centred: bool = False
) -> None:
    """Draw one line, shrunk to fit `width` so a long name never runs off the paper or card."""
    font = _font()
    natural = pdfmetrics.stringWidth(text, font, size)
    canvas.setFont(font, size * min(1, width / natural) if natural else size)
    (canvas.drawCentredString if centred else canvas.drawString)(x, y, text)


def _draw_qr(canvas: Canvas, payload: str, *, x: float, y: float, size: float) -> None:
    # Draw the modules as vector rectangles: sharp on any printer, and no raster image to produce.
    drawing = Drawing(size, size)
    drawing.add(QrCodeWidget(payload, barLevel="M", barWidth=size, barHeight=size))
    renderPDF.draw(drawing, canvas, x, y)


def certificate_pdf(*, certificate: CertificateData) -> bytes:
    """An A4 portrait certificate (表彰状 / 修了証) with a QR code of its public verification page."""
    cert = certificate
    if cert.kind not in ("level", "certification"):
        raise ValueError(f"unknown certificate kind {cert.kind!r}")
    buffer = io.BytesIO()
    canvas = _canvas(buffer, title=f"{cert.title} — {cert.recipient_name}", author=cert.issuer_name)
    page_w, page_h = A4
    centre, width = page_w / 2, page_w - 50 * mm
    canvas.setStrokeColor(INK)
    for inset, weight in ((12 * mm, 3), (15 * mm, 0.8)):  # a formal double frame
        canvas.setLineWidth(weight)
        canvas.rect(inset, inset, page_w - 2 * inset, page_h - 2 * inset)
    canvas.setFillColor(INK)
    heading = _("Certificate of completion") if cert.kind == "certification" else _("Certificate of achievement")
    line = {"x": centre, "width": width, "centred": True}
    _draw_text(canvas, heading, y=page_h - 45 * mm, size=18, **line)
    _draw_text(canvas, cert.title, y=page_h - 78 * mm, size=40, **line)
    # The honorific belongs to Japanese address only; other languages name the person plainly.
    name = f"{cert.recipient_name} 様" if _is_japanese() else cert.recipient_name
    _draw_text(canvas, name, y=page_h - 112 * mm, size=28, **line)
    canvas.line(centre - 70 * mm, page_h - 116 * mm, centre + 70 * mm, page_h - 116 * mm)
    values = {"programme": cert.programme_name, "title": cert.title}
    if cert.kind == "level" and cert.credits is not None:
        values["credits"] = _format_credits(cert.credits)
        sentence = _("has earned %(credits)s credits in %(programme)s and is awarded the title %(title)s.") % values
    else:
        sentence = _("has completed %(programme)s and is certified as %(title)s.") % values
    paragraph = Paragraph(escape(sentence), _style(15, align=TA_CENTER))
    height = paragraph.wrap(width, 80 * mm)[1]
    paragraph.drawOn(canvas, centre - width / 2, page_h - 130 * mm - height)
    _draw_text(canvas, _("Issued on %(date)s") % {"date": _format_date(cert.issued_on)}, y=115 * mm, size=13, **line)
    _draw_text(canvas, cert.issuer_name, y=100 * mm, size=20, **line)
    _draw_qr(canvas, cert.verification_url, x=centre - 15 * mm, y=44 * mm, size=30 * mm)
    _draw_text(canvas, cert.verification_url, y=40 * mm, size=9, **line)
    _draw_text(canvas, _("Credential ID: %(id)s") % {"id": cert.credential_id}, y=34 * mm, size=7, **line)
    if cert.revoked:
        # Keep the stamp upright: text extractors skip text at odd angles, and the mark must be found.
        label, size = _("Revoked"), 64
        box_w = pdfmetrics.stringWidth(label, _font(), size) + 24 * mm
        canvas.setStrokeColor(STAMP_RED, alpha=0.6)
        canvas.setFillColor(STAMP_RED, alpha=0.6)
        canvas.setLineWidth(5)
        canvas.roundRect(centre - box_w / 2, page_h / 2 - 10 * mm, box_w, size + 10 * mm, 4 * mm)
        _draw_text(canvas, label, y=page_h / 2 - 10 * mm + (5 * mm + size * 0.15), size=size, **line)
    canvas.save()  # ends the page too
    return buffer.getvalue()


def passport_card_pdf(*, card: CardData) -> bytes:
    """One A4 page with the 91×55 mm passport card at the top inside dashed cut lines."""
    # A4 rather than an A6 page: counter printers hold A4, and A6 sent to them is often scaled "to fit",
    # which changes the card's size. On A4 at 100 % the card stays business-card size (fits a 名刺入れ).
    buffer = io.BytesIO()
    canvas = _canvas(buffer, title=f"{card.programme_name} {card.number}", author=card.municipality_name)
    page_w, page_h = A4
    w, h, pad, qr = 91 * mm, 55 * mm, 4 * mm, 37 * mm
    left, bottom = (page_w - w) / 2, page_h - 20 * mm - h
    canvas.setStrokeColor(colors.grey)
    canvas.setLineWidth(0.5)
    canvas.setDash(3, 2)
    canvas.rect(left, bottom, w, h)
    canvas.setDash()
    _draw_text(canvas, _("Cut along the dashed line."), x=left, y=bottom - 6 * mm, size=8, width=w)
    canvas.translate(left, bottom)  # card coordinates from here on
    canvas.setFillColor(INK)
    canvas.setStrokeColor(INK)
    _draw_text(canvas, card.programme_name, x=pad, y=h - pad - 3.5 * mm, size=10, width=w - 2 * pad)
    canvas.line(pad, h - pad - 5.5 * mm, w - pad, h - pad - 5.5 * mm)
    column = w - 3 * pad - qr + 2 * mm  # the QR's quiet zone already keeps the text off the code
    if card.holder_kana:
        _draw_text(canvas, card.holder_kana, x=pad, y=39 * mm, size=7, width=column)
    _draw_text(canvas, card.holder_name, x=pad, y=32 * mm, size=15, width=column)
    _draw_text(canvas, _("No. %(number)s") % {"number": card.number}, x=pad, y=24 * mm, size=9, width=column)
    _draw_text(canvas, card.municipality_name, x=pad, y=18 * mm, size=8, width=column)
    if card.valid_until:
        valid = _("Valid until %(date)s") % {"date": _format_date(card.valid_until)}
        _draw_text(canvas, valid, x=pad, y=13 * mm, size=7, width=column)
    _draw_qr(canvas, card.qr_payload, x=w - pad - qr + 2 * mm, y=6 * mm, size=qr)
    note = _("Show this card at the venue to get your stamp.")
    _draw_text(canvas, note, x=pad, y=3 * mm, size=6.5, width=w - 2 * pad)
    canvas.save()  # ends the page too
    return buffer.getvalue()


def history_pdf(*, history: HistoryData) -> bytes:
    """The learning history (学習歴) as a table whose header row repeats on every page."""
    buffer = io.BytesIO()
    heading = _("Learning history")
    margins = {f"{side}Margin": 15 * mm for side in ("left", "right", "top", "bottom")}
    title = f"{heading} — {history.learner_name}"
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Manabiya", creator="Manabiya", **margins)
    summary = (
        _("Name: %(name)s") % {"name": history.learner_name},
        _("Printed on %(date)s") % {"date": _format_date(history.printed_on)},
        _("Total credits: %(credits)s") % {"credits": _format_credits(history.total_credits)},
    )
    story = [Paragraph(escape(history.programme_name), _style(16)), Paragraph(escape(heading), _style(12))]
    story += [Paragraph(escape(text), _style(10)) for text in summary] + [Spacer(1, 5 * mm)]
    header = (_("Learned on"), _("Opportunity"), _("Provider"), _("Category"), _("Credits"), _("Source"))
    head, cell, number = _style(8, color=colors.white), _style(8), _style(8, align=TA_RIGHT)
    styles = (cell, cell, cell, cell, number, cell)
    data = [[Paragraph(escape(text), head) for text in header]]
    for row in history.rows:
        date_text, credits = _format_date(row.date, short=True), _format_credits(row.credits)
        texts = (date_text, row.opportunity, row.provider, row.category, credits, row.source)
        data.append([Paragraph(escape(text), style) for text, style in zip(texts, styles, strict=True)])
    table_style = [
        ("BACKGROUND", (0, 0), (-1, 0), INK),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f4f8")]),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    widths = [width * mm for width in (22, 62, 40, 22, 14, 20)]  # the 180 mm between the margins
    story.append(Table(data, colWidths=widths, repeatRows=1, style=TableStyle(table_style)))

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        # Name every page so loose sheets can be put back together.
        text = f"{history.learner_name} — {_('Page %(number)s') % {'number': doc.page}}"
        canvas.setFillColor(INK)
        _draw_text(canvas, text, x=A4[0] / 2, y=8 * mm, size=8, width=150 * mm, centred=True)

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
