"""Verification API of the passport's credentials: check a credential by its id or as presented."""

import uuid

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from manabiya.core.api import ErrorOut, Text

from . import issuing
from .models import Award

router = Router(tags=["passport"])

# A signed credential is a few kilobytes; a hundred kilobytes is not one.
MAX_TOKEN_LENGTH = 100_000


class VerificationOut(Schema):
    valid: bool
    problems: list[str]
    checks: dict[str, bool]
    revocation_reason: str | None = None
    credential: dict | None = None


class PresentedIn(Schema):
    credential: Text = Field(
        max_length=MAX_TOKEN_LENGTH,
        description="The credential as a compact JWS (VC-JWT): base64url parts joined by dots.",
    )


def _out(verification) -> VerificationOut:
    return VerificationOut(
        valid=verification.valid,
        problems=verification.problems,
        checks=verification.checks,
        revocation_reason=verification.revocation_reason,
        credential=verification.credential,
    )


@router.get(
    "/passport/credentials/{credential_id}/verification",
    response={200: VerificationOut, 404: ErrorOut},
    summary="Check a credential issued here: signature, validity period and revocation",
)
def verify_issued(request, credential_id: uuid.UUID):
    """The verification of a credential this site issued, found by its id; an unknown id is not found."""
    award = get_object_or_404(Award, credential_id=credential_id)
    return _out(issuing.verify(award.signed_credential))


@router.post(
    "/passport/verify",
    response=VerificationOut,
    summary="Check a presented credential (VC-JWT): signature, validity period and revocation",
)
def verify_presented(request, body: PresentedIn):
    """Any presented credential: one not issued here, malformed or tampered with is answered as
    invalid with its problems (200), not as an error. A body without `credential`, one longer than
    any credential, or one with a control character is 422."""
    return _out(issuing.verify(body.credential))
