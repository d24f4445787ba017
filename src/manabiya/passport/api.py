"""Verification API of the passport's credentials: check a credential by its id or as presented."""

import uuid

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import issuing
from .models import Award

router = Router(tags=["passport"])


class VerificationOut(Schema):
    valid: bool
    problems: list[str]
    checks: dict[str, bool]
    revocation_reason: str | None = None
    credential: dict | None = None


class PresentedIn(Schema):
    credential: str


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
    response=VerificationOut,
    summary="Check a credential issued here: signature, validity period and revocation",
)
def verify_issued(request, credential_id: uuid.UUID):
    award = get_object_or_404(Award, credential_id=credential_id)
    return _out(issuing.verify(award.signed_credential))


@router.post(
    "/passport/verify",
    response=VerificationOut,
    summary="Check a presented credential (VC-JWT): signature, validity period and revocation",
)
def verify_presented(request, body: PresentedIn):
    return _out(issuing.verify(body.credential))
