"""The passport's documents from its records: the card, the learning history (PDF and CSV) and
the certificates. `pdf` lays them out from plain data; this module reads the models."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from manabiya.catalog.eventcsv import escape_formula

from . import issuing, pdf, selectors
from .models import Award, Passport
from .services import card_payload, passport_totals


def card(passport: Passport) -> bytes:
    programme = passport.programme
    return pdf.passport_card_pdf(
        card=pdf.CardData(
            holder_name=passport.holder_name,
            holder_kana=passport.holder_kana,
            number=passport.number,
            programme_name=programme.name,
            municipality_name=programme.municipality.name,
            qr_payload=card_payload(passport),
            valid_until=programme.ends_on,
        )
    )


def history_rows(passport: Passport) -> list[pdf.HistoryRow]:
    return [
        pdf.HistoryRow(
            date=stamp.earned_on,
            opportunity=stamp.title,
            provider=stamp.provider_name,
            category=stamp.category.label if stamp.category else "",
            credits=stamp.credits,
            source=stamp.get_source_display(),
        )
        for stamp in selectors.stamps(passport)
    ]


def history(passport: Passport) -> bytes:
    credits, _categories = passport_totals(passport)
    return pdf.history_pdf(
        history=pdf.HistoryData(
            learner_name=passport.holder_name,
            programme_name=passport.programme.name,
            printed_on=timezone.localdate(),
            total_credits=credits,
            rows=history_rows(passport),
        )
    )


def history_csv(passport: Passport) -> str:
    """UTF-8 with a byte-order mark, so Excel opens the Japanese as Japanese."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Learned on"), _("Opportunity"), _("Provider"), _("Category"), _("Credits"), _("Source")])
    for row in history_rows(passport):
        texts = [escape_formula(text) for text in (row.opportunity, row.provider, row.category, row.source)]
        writer.writerow([row.date.isoformat(), *texts[:3], row.credits, texts[3]])
    return out.getvalue()


def certificate(award: Award) -> bytes:
    programme_name = award.level.programme.name if award.level_id else award.certification.training
    return pdf.certificate_pdf(
        certificate=pdf.CertificateData(
            recipient_name=award.recipient_name,
            title=award.title,
            programme_name=programme_name,
            credits=award.credits,
            issued_on=timezone.localdate(award.issued_at),
            issuer_name=award.municipality.name,
            verification_url=issuing.verification_url(award),
            credential_id=f"urn:uuid:{award.credential_id}",
            kind="level" if award.level_id else "certification",
            revoked=award.revoked_at is not None,
        )
    )
