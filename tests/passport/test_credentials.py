"""Open Badges 3.0 credentials: building, VC-JWT signing, verification, keys and bundled contexts.

The signature is also checked here with bare ``cryptography`` primitives and a public key rebuilt
from the published JWK's ``n`` and ``e``, so a bug shared by Manabiya's signing and verifying
code cannot make both agree on a wrong answer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib import resources
from zoneinfo import ZoneInfo

import jwt
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from manabiya.passport import contexts, credentials, keys

TOKYO = ZoneInfo("Asia/Tokyo")
ISSUER = credentials.Issuer(
    id="https://manabiya.example/passport/issuers/tsukuba",
    name="つくば市教育委員会",
    url="https://www.city.tsukuba.example/",
    email="manabi@city.tsukuba.example",
)
ACHIEVEMENT = credentials.Achievement(
    id="https://manabiya.example/passport/achievements/42",
    name="市民大学 地域防災コース",
    description="地域の防災について学ぶ全8回の講座。",
    criteria="8回のうち6回以上に出席し、最終レポートを提出すること。",
    credits_available=Decimal("2.0"),
    achievement_type="Certificate",
    image="https://manabiya.example/static/passport/badge-42.png",
)
CREDENTIAL_ID = "urn:uuid:7d3b6a56-4a4e-4a59-9d0c-2f7f0c3f9a11"
SUBJECT_ID = "urn:uuid:0b7c1f0e-9a63-4d1c-8f52-6d1c7f9b2e40"
STATUS_URL = "https://manabiya.example/passport/issuers/tsukuba/revocations"
JWKS_URL = "https://manabiya.example/passport/issuers/tsukuba/jwks.json"
VALID_FROM = datetime(2025, 4, 1, 9, 0, 0, 123456, tzinfo=TOKYO)  # 2025-04-01T00:00:00Z
NOW = datetime(2025, 6, 1, tzinfo=UTC)

# RFC 7638 §3.1 example key and its published thumbprint.
RFC7638_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3o"
    "knjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu"
    "6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awa"
    "pJzKnqDKgw"
)
RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"

# SHA-256 of the bundled context files as taken from their packages (see data/CONTEXTS.md).
CONTEXT_SHA256 = {
    "credentials-v2.jsonld": "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
    "ob-v3p0-context-3.0.3.json": "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    "ob-v3p0-extensions.json": "2d013f981d1f4516081a6a04e55468ba2b071d4153b794f19a79715c45a89a5e",
}


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def independent_verify(token: str, jwk: dict) -> tuple[dict, dict]:
    """Check an RS256 compact JWS with cryptography alone; return (header, payload).

    Raises InvalidSignature when the signature does not match.
    """
    header_b64, payload_b64, signature_b64 = token.split(".")
    public_key = rsa.RSAPublicNumbers(
        e=int.from_bytes(b64url_decode(jwk["e"]), "big"),
        n=int.from_bytes(b64url_decode(jwk["n"]), "big"),
    ).public_key()
    public_key.verify(
        b64url_decode(signature_b64),
        f"{header_b64}.{payload_b64}".encode("ascii"),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    return json.loads(b64url_decode(header_b64)), json.loads(b64url_decode(payload_b64))


@pytest.fixture(scope="module")
def private_pem() -> bytes:
    return keys.generate_private_key()


@pytest.fixture(scope="module")
def other_pem() -> bytes:
    return keys.generate_private_key()


@pytest.fixture(scope="module")
def kid(private_pem: bytes) -> str:
    return keys.key_id(private_pem)


@pytest.fixture(scope="module")
def published_jwk(private_pem: bytes, kid: str) -> dict:
    return keys.public_jwk(private_pem, kid=kid)


def build(**overrides) -> dict:
    arguments = {
        "credential_id": CREDENTIAL_ID,
        "issuer": ISSUER,
        "achievement": ACHIEVEMENT,
        "subject_id": SUBJECT_ID,
        "subject_name": "山田 花子",
        "credits_earned": Decimal("1.5"),
        "valid_from": VALID_FROM,
        "valid_until": None,
        "status_url": STATUS_URL,
        "name": "市民大学 地域防災コース 修了証",
    }
    arguments.update(overrides)
    return credentials.credential_build(**arguments)


def key_lookup(published_jwk: dict):
    """A public_key_for that knows only the published key."""
    return lambda key_id: published_jwk if key_id == published_jwk["kid"] else None


def not_revoked(credential_id: str) -> None:
    return None


def verify(token: str, published_jwk: dict, *, revocation_for=not_revoked, now: datetime = NOW):
    return credentials.credential_verify(
        token, public_key_for=key_lookup(published_jwk), revocation_for=revocation_for, now=now
    )


def sign(credential: dict, pem: bytes, kid: str) -> str:
    return credentials.credential_sign(credential, private_pem=pem, kid=kid, jwks_url=JWKS_URL)


# Building


def test_build_produces_an_open_badges_3_credential():
    """The built credential has the OB 3.0 / VC 2.0 shape, with the learner named but not emailed."""
    credential = build(valid_until=datetime(2030, 3, 31, 23, 59, 59, tzinfo=TOKYO))

    assert credential["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["@context"] == credentials.CONTEXTS
    assert credential["id"] == CREDENTIAL_ID
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["name"] == "市民大学 地域防災コース 修了証"
    assert credential["issuer"] == {
        "id": ISSUER.id,
        "type": ["Profile"],
        "name": "つくば市教育委員会",
        "url": "https://www.city.tsukuba.example/",
        "email": "manabi@city.tsukuba.example",
    }
    # Asia/Tokyo 09:00 is midnight UTC; microseconds are dropped.
    assert credential["validFrom"] == "2025-04-01T00:00:00Z"
    assert credential["validUntil"] == "2030-03-31T14:59:59Z"

    subject = credential["credentialSubject"]
    assert subject["id"] == SUBJECT_ID
    assert subject["type"] == ["AchievementSubject"]
    assert "name" not in subject  # not an AchievementSubject property in OB 3.0
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "山田 花子"}
    ]
    assert subject["creditsEarned"] == 1.5
    assert subject["achievement"] == {
        "id": ACHIEVEMENT.id,
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": "市民大学 地域防災コース",
        "description": "地域の防災について学ぶ全8回の講座。",
        "criteria": {"narrative": "8回のうち6回以上に出席し、最終レポートを提出すること。"},
        "creditsAvailable": 2,
        "image": {"id": ACHIEVEMENT.image, "type": "Image"},
    }
    assert type(subject["achievement"]["creditsAvailable"]) is int
    assert credential["credentialStatus"] == {"id": STATUS_URL, "type": "1EdTechRevocationList"}
    assert credential["credentialSchema"] == [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]
    json.dumps(credential)  # JSON-ready: no Decimal or datetime left


def test_build_leaves_out_empty_optional_fields():
    """Empty issuer url/email, no credits, no image and no validUntil are omitted, not written empty."""
    credential = build(
        issuer=credentials.Issuer(id=ISSUER.id, name=ISSUER.name),
        achievement=credentials.Achievement(id=ACHIEVEMENT.id, name="A", description="B", criteria="C"),
        credits_earned=None,
        subject_name="",
    )

    assert credential["issuer"] == {"id": ISSUER.id, "type": ["Profile"], "name": ISSUER.name}
    assert "validUntil" not in credential
    subject = credential["credentialSubject"]
    assert set(subject) == {"id", "type", "achievement"}
    assert subject["achievement"]["achievementType"] == "Achievement"
    assert "creditsAvailable" not in subject["achievement"]
    assert "image" not in subject["achievement"]


def test_build_refuses_naive_datetimes_and_an_empty_period():
    """Naive datetimes and a validUntil not after validFrom are programming errors."""
    with pytest.raises(ValueError, match="timezone-aware"):
        build(valid_from=datetime(2025, 4, 1))
    with pytest.raises(ValueError, match="after"):
        build(valid_until=VALID_FROM)


# Signing, checked independently


def test_signed_credential_verifies_with_bare_cryptography(private_pem, kid, published_jwk):
    """The JWS verifies with RSA PKCS#1 v1.5 / SHA-256 and a key rebuilt from the JWK's n and e."""
    token = sign(build(valid_until=datetime(2030, 3, 31, tzinfo=UTC)), private_pem, kid)

    header, payload = independent_verify(token, published_jwk)

    # OB 3.0 §8.2.3 allows exactly these JOSE headers.
    assert set(header) == {"alg", "typ", "kid", "jwk"}
    assert header["alg"] == "RS256"
    assert header["typ"] == "JWT"
    assert header["kid"] == f"{JWKS_URL}#{kid}"
    assert header["jwk"] == published_jwk
    assert "d" not in header["jwk"]

    # The credential is the payload itself (no "vc" claim), plus the registered claims.
    assert "vc" not in payload
    assert payload["iss"] == ISSUER.id == payload["issuer"]["id"]
    assert payload["jti"] == CREDENTIAL_ID == payload["id"]
    assert payload["sub"] == SUBJECT_ID == payload["credentialSubject"]["id"]
    assert payload["nbf"] == int(datetime(2025, 4, 1, tzinfo=UTC).timestamp())
    assert payload["exp"] == int(datetime(2030, 3, 31, tzinfo=UTC).timestamp())
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["issuer"]["type"] == ["Profile"]
    assert payload["validFrom"] == "2025-04-01T00:00:00Z"
    subject = payload["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["creditsEarned"] == 1.5
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["criteria"] == {"narrative": ACHIEVEMENT.criteria}
    assert subject["achievement"]["creditsAvailable"] == 2
    assert subject["identifier"][0]["identityHash"] == "山田 花子"


def test_published_jwk_is_the_signing_keys_public_half(private_pem, kid, published_jwk):
    """n and e in the JWK are the private key's own public numbers, and kid is its RFC 7638 thumbprint."""
    numbers = serialization.load_pem_private_key(private_pem, password=None).public_key().public_numbers()

    assert int.from_bytes(b64url_decode(published_jwk["n"]), "big") == numbers.n
    assert int.from_bytes(b64url_decode(published_jwk["e"]), "big") == numbers.e == 65537
    assert published_jwk["kty"] == "RSA"
    assert published_jwk["alg"] == "RS256"
    assert published_jwk["use"] == "sig"
    canonical = json.dumps({"e": published_jwk["e"], "kty": "RSA", "n": published_jwk["n"]}, separators=(",", ":"))
    assert kid == b64url_encode(hashlib.sha256(canonical.encode()).digest())


def test_tampered_payload_fails_both_checks(private_pem, kid, published_jwk):
    """One byte changed in credentialSubject breaks the signature for cryptography and for Manabiya."""
    token = sign(build(), private_pem, kid)
    header_b64, payload_b64, signature_b64 = token.split(".")
    payload = b64url_decode(payload_b64)
    assert payload.count(b'"creditsEarned":1.5') == 1
    tampered = payload.replace(b'"creditsEarned":1.5', b'"creditsEarned":9.5')
    assert sum(a != b for a, b in zip(payload, tampered, strict=True)) == 1
    forged = f"{header_b64}.{b64url_encode(tampered)}.{signature_b64}"

    with pytest.raises(InvalidSignature):
        independent_verify(forged, published_jwk)
    result = verify(forged, published_jwk)

    assert not result.valid
    assert result.problems == ["bad_signature"]
    assert result.credential is None
    assert result.checks["key_known"] is True
    assert result.checks["signature"] is False


# Verification


def test_signed_credential_verifies(private_pem, kid, published_jwk):
    """A credential signed with a municipality's key verifies against that key, every check passing."""
    token = sign(build(valid_until=datetime(2030, 3, 31, tzinfo=UTC)), private_pem, kid)

    result = verify(token, published_jwk)

    assert result.valid
    assert result.problems == []
    assert set(result.checks) == set(credentials.CHECK_NAMES)
    assert all(result.checks.values())
    assert result.credential["credentialSubject"]["identifier"][0]["identityHash"] == "山田 花子"
    assert result.revocation_reason is None


def test_verification_accepts_a_public_key_object_and_a_bare_kid(private_pem, kid):
    """public_key_for may return an RSAPublicKey; a token signed without jwks_url carries the bare kid."""
    token = credentials.credential_sign(build(), private_pem=private_pem, kid=kid)
    public_key = serialization.load_pem_private_key(private_pem, password=None).public_key()
    seen = []

    def lookup(key_id):
        seen.append(key_id)
        return public_key

    result = credentials.credential_verify(token, public_key_for=lookup, revocation_for=not_revoked, now=NOW)

    assert jwt.get_unverified_header(token)["kid"] == kid
    assert seen == [kid]
    assert result.valid


def test_revoked_credential_is_invalid(private_pem, kid, published_jwk):
    """A credential on the revocation list is invalid with "revoked"; the reason is passed through."""
    token = sign(build(), private_pem, kid)
    asked = []

    def revocation_for(credential_id):
        asked.append(credential_id)
        return "誤って発行したため"

    result = verify(token, published_jwk, revocation_for=revocation_for)

    assert asked == [CREDENTIAL_ID]
    assert not result.valid
    assert result.problems == ["revoked"]
    assert result.revocation_reason == "誤って発行したため"
    assert result.checks["signature"] is True
    assert result.checks["not_revoked"] is False
    assert result.credential["id"] == CREDENTIAL_ID


def test_revocation_without_a_reason_still_revokes(private_pem, kid, published_jwk):
    """An empty reason string means revoked, not "no answer"."""
    result = verify(sign(build(), private_pem, kid), published_jwk, revocation_for=lambda credential_id: "")

    assert result.problems == ["revoked"]


def test_expired_credential_is_invalid(private_pem, kid, published_jwk):
    """Past validUntil (and exp) the credential is "expired"; exactly at validUntil it has expired too."""
    valid_until = datetime(2025, 5, 31, tzinfo=UTC)
    token = sign(build(valid_until=valid_until), private_pem, kid)

    assert verify(token, published_jwk).problems == ["expired"]
    assert verify(token, published_jwk, now=valid_until).problems == ["expired"]
    assert verify(token, published_jwk, now=valid_until - timedelta(seconds=1)).valid


def test_credential_is_not_valid_before_valid_from(private_pem, kid, published_jwk):
    """Before validFrom the credential is "not_yet_valid"; from validFrom on it is valid."""
    token = sign(build(), private_pem, kid)
    valid_from = datetime(2025, 4, 1, tzinfo=UTC)

    assert verify(token, published_jwk, now=valid_from - timedelta(seconds=1)).problems == ["not_yet_valid"]
    assert verify(token, published_jwk, now=valid_from).valid


def test_all_problems_are_collected(private_pem, kid, published_jwk):
    """An expired and revoked credential reports both problems, in a stable order."""
    token = sign(build(valid_until=datetime(2025, 5, 1, tzinfo=UTC)), private_pem, kid)

    result = verify(token, published_jwk, revocation_for=lambda credential_id: "reason")

    assert result.problems == ["expired", "revoked"]
    assert set(result.problems) <= set(credentials.PROBLEM_MESSAGES)


def test_unknown_kid_is_refused(other_pem, published_jwk):
    """A token whose kid names no key this service holds is "unknown_key", whatever its jwk header says."""
    token = sign(build(), other_pem, keys.key_id(other_pem))

    result = verify(token, published_jwk)

    assert result.problems == ["unknown_key"]
    assert result.credential is None
    assert result.checks["parsed"] is True
    assert result.checks["key_known"] is False


def test_token_without_kid_is_refused(private_pem, published_jwk):
    """Without a kid there is nothing to look up; the header's jwk is not a substitute."""
    token = jwt.encode(build(), serialization.load_pem_private_key(private_pem, password=None), algorithm="RS256")

    assert verify(token, published_jwk).problems == ["unknown_key"]


def test_header_jwk_of_another_key_does_not_make_a_forgery_pass(other_pem, kid, published_jwk):
    """A token signed by another key, naming our kid and carrying its own jwk, fails: the header jwk is ignored."""
    forged = sign(build(), other_pem, kid)  # our kid, the attacker's jwk in the header
    header = jwt.get_unverified_header(forged)
    assert header["kid"].endswith(kid)
    assert header["jwk"] != published_jwk

    # Whoever trusted the header's jwk would be fooled ...
    independent_verify(forged, header["jwk"])
    # ... but Manabiya checks against the key it holds for that kid.
    result = verify(forged, published_jwk)

    assert result.problems == ["bad_signature"]
    assert result.credential is None


def _unsigned_token(header: dict, payload: dict) -> str:
    return ".".join(b64url_encode(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload))


def test_alg_none_is_refused(kid, published_jwk):
    """An unsigned token (alg "none") is never accepted."""
    payload = {**build(), "iss": ISSUER.id, "jti": CREDENTIAL_ID, "sub": SUBJECT_ID, "nbf": 1743465600}
    token = _unsigned_token({"alg": "none", "typ": "JWT", "kid": kid}, payload) + "."

    result = verify(token, published_jwk)

    assert not result.valid
    assert result.problems == ["bad_signature"]
    assert result.credential is None


@pytest.mark.parametrize("key_form", ["jwk", "public_key"])
def test_hs256_with_the_public_key_as_secret_is_refused(private_pem, kid, published_jwk, key_form):
    """HS256 signed with the public key's PEM as the HMAC secret (key confusion) is refused."""
    public_key = serialization.load_pem_private_key(private_pem, password=None).public_key()
    public_pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    payload = {**build(), "iss": ISSUER.id, "jti": CREDENTIAL_ID, "sub": SUBJECT_ID, "nbf": 1743465600}
    signing_input = _unsigned_token({"alg": "HS256", "typ": "JWT", "kid": kid}, payload)
    signature = hmac.new(public_pem, signing_input.encode("ascii"), hashlib.sha256).digest()
    token = f"{signing_input}.{b64url_encode(signature)}"
    stored = published_jwk if key_form == "jwk" else public_key

    result = credentials.credential_verify(
        token, public_key_for=lambda key_id: stored, revocation_for=not_revoked, now=NOW
    )

    assert result.problems == ["bad_signature"]
    assert result.credential is None


@pytest.mark.parametrize("token", ["", "not a token", "a.b.c", "e30.e30", "e30.e30.e30.e30"])
def test_garbage_is_malformed(token, published_jwk):
    """Anything that is not a compact JWS is "malformed"."""
    result = verify(token, published_jwk)

    assert result.problems == ["malformed"]
    assert result.credential is None
    assert not any(result.checks.values())


def _sign_payload(payload: dict, pem: bytes, kid: str) -> str:
    private_key = serialization.load_pem_private_key(pem, password=None)
    return jwt.encode(payload, private_key, algorithm="RS256", headers={"kid": kid})


def _claims(credential: dict) -> dict:
    return {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": int(datetime.fromisoformat(credential["validFrom"]).timestamp()),
    }


def test_a_correctly_signed_hand_made_payload_verifies(private_pem, kid, published_jwk):
    """The hand-made payloads below differ from a valid one only in what each test changes."""
    assert verify(_sign_payload(_claims(build()), private_pem, kid), published_jwk).valid


@pytest.mark.parametrize(
    "change",
    [
        {"jti": "urn:uuid:another"},
        {"sub": "urn:uuid:someone-else"},
        {"iss": "https://evil.example/issuer"},
        {"nbf": 1743465601},  # one second off validFrom
        {"exp": 1900000000},  # exp without validUntil
    ],
)
def test_claims_that_disagree_with_the_credential_are_refused(private_pem, kid, published_jwk, change):
    """iss/jti/sub/nbf/exp must equal issuer.id/id/credentialSubject.id/validFrom/validUntil."""
    token = _sign_payload({**_claims(build()), **change}, private_pem, kid)

    result = verify(token, published_jwk)

    assert result.problems == ["claims_mismatch"]
    assert result.checks["signature"] is True


def test_missing_nbf_is_a_claims_mismatch(private_pem, kid, published_jwk):
    """nbf is required by OB 3.0 §8.2.6.1."""
    payload = _claims(build())
    del payload["nbf"]

    assert verify(_sign_payload(payload, private_pem, kid), published_jwk).problems == ["claims_mismatch"]


@pytest.mark.parametrize(
    "context",
    [
        ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://www.w3.org/ns/credentials/v2"],
        ["https://www.w3.org/ns/credentials/v2"],
        [*credentials.CONTEXTS, "https://evil.example/context.json"],
        [*credentials.CONTEXTS, {"@vocab": "https://evil.example/#"}],
        "https://www.w3.org/ns/credentials/v2",
    ],
)
def test_wrong_or_unbundled_contexts_are_refused(private_pem, kid, published_jwk, context):
    """@context must start with VC 2.0 then OB 3.0, and every entry must be a bundled document."""
    token = _sign_payload({**_claims(build()), "@context": context}, private_pem, kid)

    assert verify(token, published_jwk).problems == ["wrong_context"]


def test_a_credential_that_is_not_an_open_badge_is_refused(private_pem, kid, published_jwk):
    """type must hold VerifiableCredential and OpenBadgeCredential (or its alias AchievementCredential)."""
    plain = _sign_payload({**_claims(build()), "type": ["VerifiableCredential"]}, private_pem, kid)
    alias = _sign_payload(
        {**_claims(build()), "type": ["VerifiableCredential", "AchievementCredential"]}, private_pem, kid
    )

    assert verify(plain, published_jwk).problems == ["wrong_type"]
    assert verify(alias, published_jwk).valid


def test_verification_never_touches_the_network(private_pem, kid, published_jwk, monkeypatch):
    """Contexts are bundled and keys come from the caller: verifying opens no connection."""
    token = sign(build(), private_pem, kid)

    def no_network(*args, **kwargs):
        raise AssertionError("verification tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)

    assert verify(token, published_jwk).valid


def test_verification_needs_an_aware_now(private_pem, kid, published_jwk):
    """A naive now is a programming error, not a verification problem."""
    with pytest.raises(ValueError, match="timezone-aware"):
        verify(sign(build(), private_pem, kid), published_jwk, now=datetime(2025, 6, 1))


def test_every_problem_code_has_a_message():
    """Views can show a translated message for every code credential_verify returns."""
    assert set(credentials.PROBLEM_MESSAGES) == set(credentials.PROBLEM_CODES)
    assert set(credentials.PROBLEM_CODES) == {
        "malformed",
        "unknown_key",
        "bad_signature",
        "not_yet_valid",
        "expired",
        "revoked",
        "wrong_type",
        "wrong_context",
        "claims_mismatch",
    }
    assert all(str(message) for message in credentials.PROBLEM_MESSAGES.values())


# Keys


def test_generated_key_is_rsa_2048_pkcs8(private_pem):
    """Keys are RSA 2048 with exponent 65537, as unencrypted PKCS#8 PEM."""
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----\n")
    key = serialization.load_pem_private_key(private_pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size == 2048
    assert key.public_key().public_numbers().e == 65537


def test_private_key_encryption_round_trips(private_pem):
    """An encrypted key decrypts to the same PEM; the stored text reveals none of it."""
    token = keys.encrypt_private_key(private_pem)

    assert isinstance(token, str)
    assert keys.decrypt_private_key(token) == private_pem
    assert "PRIVATE KEY" not in token
    body_lines = private_pem.decode().splitlines()[1:-1]
    assert not any(line in token for line in body_lines)
    assert keys.encrypt_private_key(private_pem) != token  # Fernet uses a fresh IV each time


def test_private_key_encrypted_under_another_secret_key_does_not_decrypt(private_pem, settings):
    """Encryption is bound to SECRET_KEY: after a rotation old tokens fail loudly."""
    token = keys.encrypt_private_key(private_pem)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"

    with pytest.raises(InvalidToken):
        keys.decrypt_private_key(token)


def test_thumbprint_matches_rfc7638_example():
    """The RFC 7638 §3.1 example key has the thumbprint the RFC publishes; optional members do not count."""
    jwk = {"kty": "RSA", "n": RFC7638_N, "e": "AQAB"}

    assert keys.jwk_thumbprint(jwk) == RFC7638_THUMBPRINT
    assert keys.jwk_thumbprint({**jwk, "kid": "2011-04-29", "alg": "RS256", "use": "sig"}) == RFC7638_THUMBPRINT


def test_key_id_is_stable_and_distinct(private_pem, other_pem, published_jwk):
    """The same key always has the same id; two keys have two ids."""
    assert keys.key_id(private_pem) == keys.key_id(private_pem) == keys.jwk_thumbprint(published_jwk)
    assert keys.key_id(private_pem) != keys.key_id(other_pem)


def test_public_key_from_jwk_rebuilds_the_key_and_refuses_weak_or_foreign_keys(private_pem, published_jwk):
    """A JWK becomes the same RSA public key; non-RSA JWKs and moduli under 2048 bits are refused."""
    expected = serialization.load_pem_private_key(private_pem, password=None).public_key().public_numbers()

    assert keys.public_key_from_jwk(published_jwk).public_numbers() == expected

    # A deliberately weak key: the point is that it is refused.
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key().public_numbers()  # noqa: S505
    weak_jwk = {
        "kty": "RSA",
        "n": b64url_encode(weak.n.to_bytes((weak.n.bit_length() + 7) // 8, "big")),
        "e": "AQAB",
    }
    with pytest.raises(ValueError, match="2048"):
        keys.public_key_from_jwk(weak_jwk)
    with pytest.raises(ValueError):
        keys.public_key_from_jwk({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"})
    with pytest.raises(ValueError):
        keys.public_key_from_jwk({"kty": "RSA", "e": "AQAB"})


# Bundled contexts


@pytest.mark.parametrize("url", sorted(contexts.BUNDLED))
def test_bundled_contexts_load(url):
    """Every bundled context loads from the package as a JSON-LD document with an @context object."""
    document = contexts.load(url)

    assert isinstance(document, dict)
    assert isinstance(document["@context"], dict)


def test_bundled_context_files_are_the_published_ones():
    """The bundled files are unchanged since they were taken from their sources (hashes in data/CONTEXTS.md)."""
    data = resources.files("manabiya.passport").joinpath("data")
    assert set(contexts.BUNDLED.values()) == set(CONTEXT_SHA256)
    for filename, digest in CONTEXT_SHA256.items():
        assert hashlib.sha256(data.joinpath(filename).read_bytes()).hexdigest() == digest, filename
    notes = data.joinpath("CONTEXTS.md").read_text(encoding="utf-8")
    assert all(digest in notes for digest in CONTEXT_SHA256.values())


def test_contexts_define_the_terms_credentials_use():
    """VC 2.0 defines VerifiableCredential; OB 3.0 defines OpenBadgeCredential and creditsEarned; the
    extensions define the status and schema types."""
    vc = contexts.load("https://www.w3.org/ns/credentials/v2")["@context"]
    ob = contexts.load("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")["@context"]
    extensions = contexts.load("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")["@context"]

    assert "VerifiableCredential" in vc
    assert "validFrom" in vc["VerifiableCredential"]["@context"]
    assert ob["OpenBadgeCredential"]["@id"] == "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
    assert "creditsEarned" in ob["AchievementSubject"]["@context"]
    assert "creditsAvailable" in ob["Achievement"]["@context"]
    assert "identityHash" in ob["IdentityObject"]["@context"]
    assert "1EdTechRevocationList" in extensions
    assert "1EdTechJsonSchemaValidator2019" in extensions


def test_credentials_name_only_bundled_contexts():
    """Every context a credential names is bundled, so nothing ever needs fetching."""
    assert all(url in contexts.BUNDLED for url in credentials.CONTEXTS)
    assert credentials.CONTEXTS[:2] == credentials.REQUIRED_CONTEXTS


def test_unknown_context_url_raises_key_error():
    """Only bundled URLs load; anything else is a KeyError, never a download."""
    with pytest.raises(KeyError):
        contexts.load("https://evil.example/context.json")


def test_loaded_contexts_are_fresh_copies():
    """Changing a loaded document does not change what the next caller gets."""
    url = "https://www.w3.org/ns/credentials/v2"
    contexts.load(url)["@context"].clear()

    assert contexts.load(url)["@context"]
