"""Awards as Open Badges 3.0 credentials: the municipality's signing key, the credential an award
makes, and checking a presented credential against the keys and revocations held here.

The credential format and the JOSE work are `credentials`'s; this module supplies what only the
database knows (keys, revocations, URLs), so `credentials` stays free of models and testable alone.
"""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from manabiya.core.models import Municipality

from . import credentials, keys
from .models import Award, SigningKey


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def signing_key_for(municipality: Municipality) -> SigningKey:
    """The municipality's active key, made the first time it issues anything."""
    key = SigningKey.objects.filter(municipality=municipality, active=True).first()
    if key is not None:
        return key
    private_pem = keys.generate_private_key()
    kid = keys.key_id(private_pem)
    try:
        with transaction.atomic():
            return SigningKey.objects.create(
                municipality=municipality,
                kid=kid,
                public_jwk=keys.public_jwk(private_pem, kid=kid),
                encrypted_private_key=keys.encrypt_private_key(private_pem),
            )
    except IntegrityError:  # another issuer made it first
        return SigningKey.objects.get(municipality=municipality, active=True)


def issuer_for(municipality: Municipality) -> credentials.Issuer:
    return credentials.Issuer(
        id=absolute(reverse("passport:issuer", args=[municipality.code])),
        name=municipality.name,
        url=settings.SITE_URL,
    )


def achievement_for(award: Award) -> credentials.Achievement:
    if award.level_id:
        level = award.level
        programme = level.programme
        return credentials.Achievement(
            id=absolute(reverse("passport:level", args=[level.pk])),
            name=f"{programme.name} {level.title or level.name}",
            description=programme.description or programme.name,
            criteria=level.description
            or _criteria_sentence(credits=level.credits, categories=level.min_categories, programme=programme.name),
            credits_available=level.credits,
            achievement_type="Achievement",
        )
    certification = award.certification
    return credentials.Achievement(
        id=absolute(reverse("passport:certification", args=[certification.pk])),
        name=certification.name,
        description=certification.training,
        criteria=certification.criteria,
        achievement_type="Certificate",
    )


def _criteria_sentence(*, credits, categories: int, programme: str) -> str:
    # In the municipality's language, as the credential is a public record of the city.
    text = f"{programme}で{credits}単位以上を修得"
    return text + (f"（{categories}分野以上）" if categories else "")


def verification_url(award: Award) -> str:
    return absolute(reverse("passport:verify", args=[award.credential_id]))


def sign_award(award: Award) -> str:
    """The signed VC-JWT for an award not yet saved (its id and issue time are set)."""
    key = signing_key_for(award.municipality)
    achievement = achievement_for(award)
    credential = credentials.credential_build(
        credential_id=f"urn:uuid:{award.credential_id}",
        issuer=issuer_for(award.municipality),
        achievement=achievement,
        subject_id=f"urn:uuid:{award.subject_id}",
        subject_name=award.recipient_name,
        credits_earned=award.credits,
        valid_from=award.issued_at,
        status_url=absolute(reverse("passport:revocations", args=[award.municipality.code])),
        name=achievement.name,
    )
    return credentials.credential_sign(
        credential,
        private_pem=keys.decrypt_private_key(key.encrypted_private_key),
        kid=key.kid,
        jwks_url=absolute(reverse("passport:jwks", args=[award.municipality.code])),
    )


def _public_key(kid: str):
    """The public key of `kid` if it is one of ours. A presented token's header is anyone's text: a NUL
    or a lone surrogate in it (which no database can compare) names no key, rather than failing the
    lookup."""
    if any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in kid):
        return None
    key = SigningKey.objects.filter(kid=kid).first()
    return key.public_jwk if key is not None else None


def _revocation(credential_id: str) -> str | None:
    try:
        award_id = uuid.UUID(credential_id.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    award = Award.objects.filter(credential_id=award_id).only("revoked_at", "revocation_reason").first()
    if award is None or award.revoked_at is None:
        return None
    return award.revocation_reason or "revoked"


def verify(token: str, *, now=None) -> credentials.Verification:
    """Check a presented credential: signature by a key issued here, validity period, revocation."""
    return credentials.credential_verify(
        token.strip(), public_key_for=_public_key, revocation_for=_revocation, now=now or timezone.now()
    )


def revocation_list(municipality: Municipality) -> dict:
    """The 1EdTechRevocationList the municipality's credentials point to."""
    revoked = Award.objects.filter(municipality=municipality, revoked_at__isnull=False).order_by("revoked_at")
    return {
        "id": absolute(reverse("passport:revocations", args=[municipality.code])),
        "issuer": issuer_for(municipality).id,
        "revokedCredentials": [
            {"id": f"urn:uuid:{award.credential_id}", "revocationReason": award.revocation_reason} for award in revoked
        ],
    }


def jwks(municipality: Municipality) -> dict:
    """The municipality's public keys as a JWK Set, which each credential's `kid` points into."""
    return {"keys": list(SigningKey.objects.filter(municipality=municipality).values_list("public_jwk", flat=True))}


def issuer_profile(municipality: Municipality) -> dict:
    """The issuer's OB 3.0 Profile, with the public keys its credentials are signed with."""
    issuer = issuer_for(municipality)
    return {
        "@context": credentials.CONTEXTS,
        "id": issuer.id,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "publicKey": list(SigningKey.objects.filter(municipality=municipality).values_list("public_jwk", flat=True)),
    }
