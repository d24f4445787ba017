"""Open Badges 3.0 credentials (OpenBadgeCredential), signed as VC-JWT with RS256.

Pure functions: no database, no network. Building follows the Open Badges 3.0 data model on the
Verifiable Credentials Data Model 2.0; signing and verification follow OB 3.0 §8.2 "JSON Web
Token Proof Format": the JWT payload *is* the credential (no ``vc`` claim), with ``iss``,
``jti``, ``sub``, ``nbf`` and ``exp`` copied from ``issuer.id``, ``id``, ``credentialSubject.id``,
``validFrom`` and ``validUntil``. See docs/decisions/0006-open-badges-credentials.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from manabiya.passport import contexts, keys

# OB 3.0 requires the VC 2.0 context first and the OB 3.0 context second. The 1EdTech extensions
# context comes third because it alone defines the 1EdTechRevocationList and
# 1EdTechJsonSchemaValidator2019 types used below (1EdTech's own examples list it the same way).
CONTEXTS = [contexts.VC_V2, contexts.OB_V3P0, contexts.OB_V3P0_EXTENSIONS]
REQUIRED_CONTEXTS = CONTEXTS[:2]
ALGORITHM = "RS256"
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
# OB 3.0 §9.1 treats "AchievementCredential" as another name for OpenBadgeCredential.
OPEN_BADGE_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
STATUS_TYPE = "1EdTechRevocationList"
SCHEMA_ID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"

PROBLEM_CODES = (
    "malformed",
    "unknown_key",
    "bad_signature",
    "wrong_context",
    "wrong_type",
    "claims_mismatch",
    "not_yet_valid",
    "expired",
    "revoked",
)

PROBLEM_MESSAGES: dict[str, Promise] = {
    "malformed": _("This is not a well-formed signed credential."),
    "unknown_key": _("The credential was signed with a key that this service does not know."),
    "bad_signature": _("The signature does not match: the credential was altered or not signed by its issuer."),
    "not_yet_valid": _("The credential is not valid yet."),
    "expired": _("The credential has expired."),
    # No reason here: views add the issuer's reason next to this message.
    "revoked": _("The issuer has revoked this credential."),
    "wrong_type": _("This is not an Open Badges credential."),
    "wrong_context": _("The credential uses JSON-LD contexts that this service does not accept."),
    "claims_mismatch": _("The signed token's claims do not match the credential inside it."),
}

# Names of the individual checks reported in Verification.checks, in the order they run.
CHECK_NAMES = (
    "parsed",
    "key_known",
    "signature",
    "context",
    "type",
    "claims",
    "valid_from",
    "valid_until",
    "not_revoked",
)


@dataclass(frozen=True)
class Issuer:
    """The issuing organisation, published as an OB 3.0 Profile."""

    id: str  # URL of the issuer profile
    name: str
    url: str = ""
    email: str = ""


@dataclass(frozen=True)
class Achievement:
    """What the credential certifies, as an OB 3.0 Achievement."""

    id: str  # URL of the achievement
    name: str
    description: str
    criteria: str  # narrative (Markdown allowed)
    credits_available: Decimal | None = None
    achievement_type: str = "Achievement"  # OB 3.0 AchievementType, e.g. "Certificate", "License"
    image: str = ""  # URL of a PNG or SVG image


@dataclass
class Verification:
    """The outcome of ``credential_verify``.

    ``valid`` is true only when ``problems`` is empty. ``credential`` is the signed JWT payload
    (the credential's properties plus iss/jti/sub/nbf/exp) once its signature checks out, and
    None before that: an unsigned or forged payload is never handed back. ``problems`` holds
    stable codes from PROBLEM_CODES (see PROBLEM_MESSAGES); ``checks`` maps each name in
    CHECK_NAMES to whether that check passed (a check that could not run is False).
    ``revocation_reason`` is what ``revocation_for`` returned for a revoked credential.
    """

    valid: bool
    credential: dict[str, Any] | None
    problems: list[str]
    checks: dict[str, bool]
    revocation_reason: str | None = field(default=None)


def _iso_utc(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetimes in credentials must be timezone-aware")
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    # OB 3.0 validFrom/validUntil are DateTimeZ: a time without an offset is not one.
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return None
    return parsed


def _json_number(value: Decimal) -> int | float:
    if not value.is_finite():
        raise ValueError("credit values must be finite numbers")
    return int(value) if value == value.to_integral_value() else float(value)


def _numeric_date(value: object) -> datetime | None:
    # bool is an int subclass; true/false is not a NumericDate.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def credential_build(
    *,
    credential_id: str,
    issuer: Issuer,
    achievement: Achievement,
    subject_id: str,
    subject_name: str,
    credits_earned: Decimal | None,
    valid_from: datetime,
    valid_until: datetime | None = None,
    status_url: str,
    name: str,
) -> dict[str, Any]:
    """Return an unsigned OpenBadgeCredential (OB 3.0 on VC Data Model 2.0) as a JSON-ready dict.

    ``subject_id`` identifies the learner without personal data (e.g. a per-learner
    ``urn:uuid:``). AchievementSubject has no ``name`` property in OB 3.0, so ``subject_name`` goes
    into ``identifier`` as an IdentityObject with ``identityType`` "name", unhashed (left out when
    empty). ``status_url`` is the issuer's 1EdTech revocation list: per the 1EdTech Revocation
    List Status Method, ``credentialStatus.id`` is that list's URL, and a verifier looks the
    credential's own ``id`` up in it. Times are written in UTC to the second (``...Z``).
    Decimals become JSON numbers (an int when whole).

    Raises ``ValueError`` for a naive datetime, or ``valid_until`` not after ``valid_from``.
    """
    valid_from_text = _iso_utc(valid_from)
    valid_until_text = _iso_utc(valid_until) if valid_until is not None else None
    if valid_until is not None and valid_until <= valid_from:
        raise ValueError("valid_until must be after valid_from")

    issuer_profile: dict[str, Any] = {"id": issuer.id, "type": ["Profile"], "name": issuer.name}
    if issuer.url:
        issuer_profile["url"] = issuer.url
    if issuer.email:
        issuer_profile["email"] = issuer.email

    achievement_data: dict[str, Any] = {
        "id": achievement.id,
        "type": ["Achievement"],
        "achievementType": achievement.achievement_type,
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria},
    }
    if achievement.credits_available is not None:
        achievement_data["creditsAvailable"] = _json_number(achievement.credits_available)
    if achievement.image:
        achievement_data["image"] = {"id": achievement.image, "type": "Image"}

    subject: dict[str, Any] = {"id": subject_id, "type": ["AchievementSubject"]}
    if subject_name:
        subject["identifier"] = [
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": subject_name}
        ]
    subject["achievement"] = achievement_data
    if credits_earned is not None:
        subject["creditsEarned"] = _json_number(credits_earned)

    credential: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": list(CREDENTIAL_TYPES),
        "issuer": issuer_profile,
        "name": name,
        "validFrom": valid_from_text,
    }
    if valid_until_text is not None:
        credential["validUntil"] = valid_until_text
    credential["credentialSubject"] = subject
    credential["credentialStatus"] = {"id": status_url, "type": STATUS_TYPE}
    credential["credentialSchema"] = [{"id": SCHEMA_ID, "type": SCHEMA_TYPE}]
    return credential


def _issuer_id(credential: dict[str, Any]) -> object:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def _subject(credential: dict[str, Any]) -> dict[str, Any]:
    subject = credential.get("credentialSubject")
    return subject if isinstance(subject, dict) else {}


def header_kid(kid: str, *, jwks_url: str | None = None) -> str:
    """Return the JOSE ``kid`` header for a key id.

    OB 3.0 §8.2.3 wants a URI that dereferences to the JWK; with ``jwks_url`` (where the
    municipality's JWK Set is published) that is ``<jwks_url>#<kid>``, else the bare key id.
    """
    return f"{jwks_url}#{kid}" if jwks_url else kid


def key_id_from_header(value: object) -> str | None:
    """Return the key id carried by a JOSE ``kid`` header (the part after ``#`` if any), or None."""
    if not isinstance(value, str) or not value:
        return None
    return value.rsplit("#", 1)[-1] or None


def credential_sign(credential: dict[str, Any], *, private_pem: bytes, kid: str, jwks_url: str | None = None) -> str:
    """Sign a credential from ``credential_build`` as a compact JWS (VC-JWT, OB 3.0 §8.2).

    The JOSE header holds only what §8.2.3 allows: ``alg`` RS256, ``typ`` "JWT", ``kid`` (see
    ``header_kid``) and ``jwk``, the public key, so that a verifier without network access can
    check the signature. The payload is the credential's properties at the top level plus
    ``iss`` (issuer.id), ``jti`` (id), ``sub`` (credentialSubject.id), ``nbf`` (validFrom) and,
    when the credential has validUntil, ``exp``.

    Raises ``ValueError`` when validFrom/validUntil are missing or not DateTimeZ strings.
    """
    valid_from = _parse_iso(credential.get("validFrom"))
    if valid_from is None:
        raise ValueError("credential needs validFrom as an ISO 8601 time with an offset")
    payload = dict(credential)
    payload["iss"] = _issuer_id(credential)
    payload["jti"] = credential["id"]
    payload["sub"] = _subject(credential)["id"]
    payload["nbf"] = int(valid_from.timestamp())
    if "validUntil" in credential:
        valid_until = _parse_iso(credential["validUntil"])
        if valid_until is None:
            raise ValueError("validUntil must be an ISO 8601 time with an offset")
        payload["exp"] = int(valid_until.timestamp())
    else:
        payload.pop("exp", None)
    private_key = serialization.load_pem_private_key(private_pem, password=None)
    headers = {
        "typ": "JWT",
        "kid": header_kid(kid, jwks_url=jwks_url),
        "jwk": keys.public_jwk(private_pem, kid=kid),
    }
    return jwt.encode(payload, private_key, algorithm=ALGORITHM, headers=headers)


def _resolve_key(found: Any) -> rsa.RSAPublicKey | None:
    if isinstance(found, rsa.RSAPublicKey):
        return found
    if isinstance(found, dict):
        try:
            return keys.public_key_from_jwk(found)
        except ValueError:
            return None
    return None


def _finish(
    problems: list[str],
    checks: dict[str, bool],
    credential: dict[str, Any] | None = None,
    revocation_reason: str | None = None,
) -> Verification:
    ordered = [code for code in PROBLEM_CODES if code in problems]
    return Verification(
        valid=not ordered,
        credential=credential,
        problems=ordered,
        checks=checks,
        revocation_reason=revocation_reason,
    )


def _signed_payload(token: str, key: rsa.RSAPublicKey) -> dict[str, Any] | str:
    """Return the verified payload, or the problem code that stops verification."""
    try:
        # Only RS256 is accepted, whatever the header says: never "none", never HS* (which would
        # treat the public key as an HMAC secret). Time claims are checked by the caller against
        # its own ``now``, so PyJWT's clock checks are off.
        return jwt.decode(
            token,
            key=key,
            algorithms=[ALGORITHM],
            options={
                "verify_signature": True,
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_iss": False,
                "verify_sub": False,
                "verify_jti": False,
                "require": [],
            },
        )
    except (jwt.InvalidSignatureError, jwt.InvalidAlgorithmError):
        return "bad_signature"
    except jwt.InvalidTokenError:
        return "malformed"


def credential_verify(
    token: str,
    *,
    public_key_for: Callable[[str], Any | None],
    revocation_for: Callable[[str], str | None],
    now: datetime,
) -> Verification:
    """Verify a VC-JWT OpenBadgeCredential made by ``credential_sign`` (OB 3.0 §8.2.6 and §9.1).

    The header is read only to find ``alg`` and ``kid``. ``public_key_for(key_id)`` receives the
    key id from ``kid`` (see ``key_id_from_header``) and returns the trusted RSA public key (an
    ``RSAPublicKey`` or a JWK dict) or None. The header's ``jwk`` is never used: a token is
    checked only against a key this service holds. ``revocation_for(credential_id)`` returns the
    revocation reason (any string, even empty, means revoked) or None. ``now`` must be aware.

    After the signature, every check runs and all problems are collected: contexts (VC 2.0 then
    OB 3.0 first, every one bundled), type, the JWT claims against the credential
    (iss/jti/sub/nbf, and exp against validUntil), validity period, and revocation.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    checks = dict.fromkeys(CHECK_NAMES, False)

    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        return _finish(["malformed"], checks)
    checks["parsed"] = True

    if header.get("alg") != ALGORITHM:
        return _finish(["bad_signature"], checks)
    kid = key_id_from_header(header.get("kid"))
    key = _resolve_key(public_key_for(kid)) if kid else None
    if key is None:
        return _finish(["unknown_key"], checks)
    checks["key_known"] = True

    payload = _signed_payload(token, key)
    if isinstance(payload, str):
        return _finish([payload], checks)
    checks["signature"] = True

    problems: list[str] = []

    context = payload.get("@context")
    checks["context"] = (
        isinstance(context, list)
        and context[: len(REQUIRED_CONTEXTS)] == REQUIRED_CONTEXTS
        and all(contexts.is_bundled(entry) for entry in context)
    )
    if not checks["context"]:
        problems.append("wrong_context")

    types = payload.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    subject = _subject(payload)
    subject_types = subject.get("type")
    subject_types = [subject_types] if isinstance(subject_types, str) else subject_types or []
    checks["type"] = (
        "VerifiableCredential" in types
        and bool(OPEN_BADGE_TYPES.intersection(types))
        and isinstance(subject_types, list)
        and "AchievementSubject" in subject_types
    )
    if not checks["type"]:
        problems.append("wrong_type")

    valid_from = _parse_iso(payload.get("validFrom"))
    has_valid_until = "validUntil" in payload
    valid_until = _parse_iso(payload.get("validUntil")) if has_valid_until else None
    if valid_from is None or (has_valid_until and valid_until is None):
        problems.append("malformed")
    nbf = _numeric_date(payload.get("nbf"))
    has_exp = "exp" in payload
    exp = _numeric_date(payload.get("exp")) if has_exp else None

    credential_id = payload.get("id")
    checks["claims"] = (
        isinstance(credential_id, str)
        and payload.get("jti") == credential_id
        and isinstance(payload.get("iss"), str)
        and payload.get("iss") == _issuer_id(payload)
        and isinstance(payload.get("sub"), str)
        and payload.get("sub") == subject.get("id")
        and nbf is not None
        and nbf == valid_from
        # §8.2.4.1: exp is validUntil; one without the other, or two different times, disagree.
        and has_exp == has_valid_until
        and exp == valid_until
    )
    if not checks["claims"]:
        problems.append("claims_mismatch")

    # Judge the period by the stricter of the claim and the property, so that a mismatch that
    # is already reported above cannot also stretch the period.
    starts = [moment for moment in (valid_from, nbf) if moment is not None]
    ends = [moment for moment in (valid_until, exp) if moment is not None]
    checks["valid_from"] = bool(starts) and max(starts) <= now
    if starts and not checks["valid_from"]:
        problems.append("not_yet_valid")
    checks["valid_until"] = not ends or min(ends) > now
    if not checks["valid_until"]:
        problems.append("expired")

    reason = revocation_for(credential_id) if isinstance(credential_id, str) else None
    checks["not_revoked"] = isinstance(credential_id, str) and reason is None
    if reason is not None:
        problems.append("revoked")

    return _finish(problems, checks, credential=payload, revocation_reason=reason)
