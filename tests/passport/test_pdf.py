"""The passport's PDFs: Japanese text that extracts, the active language, QR codes and long tables."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.translation import gettext, override
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.units import mm

from manabiya.passport import pdf

IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")


def make_certificate(**changes) -> pdf.CertificateData:
    values = {
        "recipient_name": "千歳 花子",
        "title": "ちとせ学びマスター",
        "programme_name": "ちとせ学びパスポート",
        "credits": Decimal("30.0"),
        "issued_on": date(2026, 12, 7),
        "issuer_name": "千歳市教育委員会",
        "verification_url": "https://manabiya.example.jp/verify/8f3a2c",
        "credential_id": "CHT-2026-000123",
        "kind": "level",
        **changes,
    }
    return pdf.CertificateData(**values)


def make_card(**changes) -> pdf.CardData:
    values = {
        "holder_name": "千歳 花子",
        "holder_kana": "ちとせ はなこ",
        "number": "CHT-000123",
        "programme_name": "ちとせ学びパスポート",
        "municipality_name": "千歳市",
        "qr_payload": "passport:000123:1733550000:" + "q7Zx" * 11,
        "valid_until": date(2027, 3, 31),
        **changes,
    }
    return pdf.CardData(**values)


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def text_of(data: bytes, page: int = 0) -> str:
    return read(data).pages[page].extract_text()


def squeeze(text: str) -> str:
    """The text without line breaks and spaces, to find strings a table cell wrapped."""
    return "".join(text.split())


def fonts_of(reader: PdfReader) -> list[dict]:
    """Every font the pages use, descendant fonts of Type0 (CID) fonts included."""
    found = []
    for page in reader.pages:
        pending = [ref.get_object() for ref in page["/Resources"]["/Font"].values()]
        while pending:
            font = pending.pop()
            found.append(font)
            pending += [ref.get_object() for ref in font.get("/DescendantFonts", [])]
    return found


def embedded_font_files(reader: PdfReader) -> set[str]:
    return {
        key
        for font in fonts_of(reader)
        if "/FontDescriptor" in font
        for key in font["/FontDescriptor"].get_object()
        if key.startswith("/FontFile")
    }


def filled_rectangles(reader: PdfReader, page: int = 0) -> list[tuple[float, float, float, float]]:
    """Page-space boxes (x0, y0, x1, y1) of the rectangles the page fills, following q/Q and cm."""
    matrix, stack, pending, boxes = (1, 0, 0, 1, 0, 0), [], [], []
    content = ContentStream(reader.pages[page].get_contents(), reader)
    for operands, operator in content.operations:
        if operator == b"q":
            stack.append(matrix)
        elif operator == b"Q":
            matrix = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(value) for value in operands)
            ma, mb, mc, md, me, mf = matrix
            matrix = (
                a * ma + b * mc,
                a * mb + b * md,
                c * ma + d * mc,
                c * mb + d * md,
                e * ma + f * mc + me,
                e * mb + f * md + mf,
            )
        elif operator == b"re":
            x, y, w, h = (float(value) for value in operands)
            ma, mb, mc, md, me, mf = matrix  # QR modules are only translated, never rotated
            pending.append((ma * x + me, md * y + mf, ma * (x + w) + me, md * (y + h) + mf))
        elif operator in (b"f", b"f*", b"B", b"B*"):
            boxes += pending
            pending = []
        elif operator in (b"S", b"n"):
            pending = []
    return boxes


def history(rows: int) -> pdf.HistoryData:
    return pdf.HistoryData(
        learner_name="千歳 花子",
        programme_name="ちとせ学びパスポート",
        printed_on=date(2026, 12, 7),
        total_credits=Decimal("123.5"),
        rows=[
            pdf.HistoryRow(
                date=date(2026, 4, 1 + number % 28),
                opportunity=f"市民大学 第{number:02d}回 北海道の歴史と文化を学ぶ連続講座とフィールドワーク",
                provider="NPO法人 まなび&あそび <千歳>",
                category="歴史・文化",
                credits=Decimal("1.50"),
                source="Stamp",
            )
            for number in range(1, rows + 1)
        ],
    )


def test_certificate_in_japanese_addresses_the_learner_with_the_honorific_and_a_japanese_date():
    """The Japanese certificate names the learner with 様 and dates it 2026年12月7日, all as extractable text."""
    with override("ja"):
        text = text_of(pdf.certificate_pdf(certificate=make_certificate()))
    assert "千歳 花子 様" in text
    assert "2026年12月7日" in text
    for expected in (
        "ちとせ学びマスター",
        "千歳市教育委員会",
        "https://manabiya.example.jp/verify/8f3a2c",
        "CHT-2026-000123",
    ):
        assert expected in text


def test_certificate_in_english_has_no_honorific_and_spells_the_month_out():
    """The English certificate names the learner plainly and dates it 7 December 2026."""
    with override("en"):
        text = text_of(pdf.certificate_pdf(certificate=make_certificate()))
    assert "千歳 花子" in text
    assert "様" not in text
    assert "7 December 2026" in text
    assert "2026年" not in text
    assert "has earned 30 credits in" in text  # 30.0 credits print without a trailing zero


def test_certificate_for_a_certification_says_the_programme_was_completed():
    """A certification (no credits) uses the completion sentence and heading."""
    certificate = make_certificate(kind="certification", credits=None, title="上級")
    with override("en"):
        text = squeeze(text_of(pdf.certificate_pdf(certificate=certificate)))
    assert squeeze("has completed ちとせ学びパスポート and is certified as 上級.") in text
    assert "Certificateofcompletion" in text


def test_certificate_metadata_names_the_title_and_the_issuer():
    """The PDF's document properties carry the award, the recipient and the issuer as author."""
    metadata = read(pdf.certificate_pdf(certificate=make_certificate())).metadata
    assert metadata.title == "ちとせ学びマスター — 千歳 花子"
    assert metadata.author == "千歳市教育委員会"


def test_revoked_certificate_shows_the_revoked_mark():
    """A revoked certificate is overprinted with the translated "Revoked" stamp; a valid one is not."""
    with override("ja"):
        label = gettext("Revoked")
        revoked = text_of(pdf.certificate_pdf(certificate=make_certificate(revoked=True)))
        valid = text_of(pdf.certificate_pdf(certificate=make_certificate()))
    assert label in revoked
    assert label not in valid
    assert "千歳 花子" in revoked  # the stamp overprints; the certificate stays readable


def test_certificate_refuses_an_unknown_kind():
    """Only "level" and "certification" certificates exist."""
    with pytest.raises(ValueError, match="kind"):
        pdf.certificate_pdf(certificate=make_certificate(kind="badge"))


def test_passport_card_shows_the_holder_and_number_as_text():
    """The card carries programme, kana, name, number, municipality, validity and the note at the counter."""
    with override("en"):
        text = text_of(pdf.passport_card_pdf(card=make_card()))
    for expected in ("ちとせ学びパスポート", "ちとせ はなこ", "千歳 花子", "CHT-000123", "千歳市", "31 March 2027"):
        assert expected in text
    assert "Show this card at the venue to get your stamp." in text


def test_passport_card_draws_a_scannable_qr_code_inside_the_card():
    """The QR code is drawn as hundreds of filled modules spanning at least 25 mm, inside the 91×55 mm card."""
    reader = read(pdf.passport_card_pdf(card=make_card()))
    modules = [box for box in filled_rectangles(reader) if box[2] - box[0] < 10 * mm]
    assert len(modules) > 150
    left, bottom = min(box[0] for box in modules), min(box[1] for box in modules)
    right, top = max(box[2] for box in modules), max(box[3] for box in modules)
    assert right - left >= 25 * mm
    assert top - bottom >= 25 * mm
    assert abs((right - left) - (top - bottom)) < 0.5  # square
    page_width, page_height = (float(value) for value in reader.pages[0].mediabox.upper_right)
    card_left, card_top = (page_width - 91 * mm) / 2, page_height - 20 * mm
    assert card_left < left and right < card_left + 91 * mm
    assert card_top - 55 * mm < bottom and top < card_top


def test_passport_card_without_kana_or_validity_still_renders():
    """Kana and the validity date are optional."""
    text = text_of(pdf.passport_card_pdf(card=make_card(holder_kana="", valid_until=None)))
    assert "千歳 花子" in text
    assert "ちとせ はなこ" not in text


def test_history_of_80_rows_repeats_the_header_on_every_page():
    """A long learning history spans pages; each later page repeats the header row, and no title is lost."""
    data = history(80)
    with override("en"):
        reader = read(pdf.history_pdf(history=data))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) > 1
    for page in pages[1:]:
        for header in ("Learned on", "Opportunity", "Provider", "Category", "Credits", "Source"):
            assert header in page
    everything = squeeze("".join(pages))
    for row in data.rows:
        assert squeeze(row.opportunity) in everything
    assert "Total credits: 123.5" in pages[0]
    assert "千歳 花子" in pages[0]
    assert "7 December 2026" in pages[0]
    assert squeeze("NPO法人 まなび&あそび <千歳>") in everything  # markup characters are escaped, not parsed
    assert "Page 2" in pages[1]
    assert reader.metadata.author == "Manabiya"


def test_history_wraps_long_japanese_titles_inside_their_cell():
    """A long Japanese title breaks onto a second line of its cell instead of running into the next column."""
    data = history(1)
    with override("ja"):
        text = text_of(pdf.history_pdf(history=data))
    title = data.rows[0].opportunity
    assert title not in text  # not on one line
    assert squeeze(title) in squeeze(text)
    assert "2026/04/02" in text  # the Japanese short date


def test_history_headers_follow_the_active_language():
    """Column headers are translated strings of the active language."""
    with override("ja"):
        expected = [
            gettext(header) for header in ("Learned on", "Opportunity", "Provider", "Category", "Credits", "Source")
        ]
        text = text_of(pdf.history_pdf(history=history(3)))
    for header in expected:
        assert header in text


@pytest.mark.skipif(not IPAEX.is_file(), reason="IPAex Gothic is not installed")
def test_installed_ipaex_font_is_embedded(settings):
    """With IPAex Gothic installed (or configured), the TrueType font is embedded in the PDF."""
    settings.MANABIYA_PDF_FONT = str(IPAEX)
    reader = read(pdf.certificate_pdf(certificate=make_certificate()))
    assert "/FontFile2" in embedded_font_files(reader)
    assert any("IPAexGothic" in font.get("/BaseFont", "") for font in fonts_of(reader))


def test_without_a_truetype_font_the_cid_font_is_used_and_text_still_extracts(settings, monkeypatch):
    """A missing configured font and no installed one fall back to the (not embedded) CID font."""
    settings.MANABIYA_PDF_FONT = "/nonexistent/font.ttf"
    monkeypatch.setattr(pdf, "_FONT_CANDIDATES", ())
    with override("ja"):
        reader = read(pdf.certificate_pdf(certificate=make_certificate()))
    assert any("HeiseiKakuGo-W5" in font.get("/BaseFont", "") for font in fonts_of(reader))
    assert not embedded_font_files(reader)
    text = reader.pages[0].extract_text()
    assert "千歳 花子 様" in text
    assert "2026年12月7日" in text
