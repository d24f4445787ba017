"""Emails of the passport, sent by a background task once the award's transaction commits."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from manabiya.core.mail import about

from . import issuing


def award_issued(award) -> None:
    """Tell the recipient once the award is committed (a rolled-back award emails no one)."""
    from .tasks import send_award_email

    award_id = award.pk
    transaction.on_commit(lambda: send_award_email.enqueue(award_id=award_id))


def send_award(award) -> None:
    if not award.recipient.email:
        return
    language = award.passport.language if award.passport_id else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "award": award,
            "verification_url": issuing.verification_url(award),
            "certificate_url": issuing.absolute(reverse("passport:certificate", args=[award.credential_id])),
            "passports_url": issuing.absolute(reverse("passport:home")),
        }
        subject = _("Congratulations: %(title)s") % {"title": award.title}
        body = render_to_string("passport/email/award.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[award.recipient.email])
    about(message, municipality_id=award.municipality_id).send()
