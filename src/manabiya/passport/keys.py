"""Signing keys for Open Badges credentials: RSA keys, their JWKs, and encryption at rest.

Each municipality signs with its own RSA key. The private key is stored encrypted with a key
derived from ``settings.SECRET_KEY``; the public half is published as a JWK whose ``kid`` is the
key's RFC 7638 thumbprint, so the id never needs to be assigned or kept in step with the key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

RSA_KEY_SIZE = 2048
RSA_PUBLIC_EXPONENT = 65537
# Refuse smaller moduli when a key arrives as a JWK: RS256 with less than 2048 bits is weak.
MIN_RSA_KEY_SIZE = 2048

# Constant HKDF salt and info: changing either makes every stored key undecryptable.
_HKDF_SALT = b"manabiya-passport-signing-key"
_HKDF_INFO = b"manabiya-passport-signing-key/fernet/v1"


def b64url_encode(data: bytes) -> str:
    """Return ``data`` as base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; raise ``ValueError`` on bad input."""
    if not isinstance(text, str):
        raise ValueError("base64url value must be a string")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError("invalid base64url") from exc


def _int_to_b64url(value: int) -> str:
    # RFC 7518 §6.3.1: big-endian, the minimum number of octets.
    return b64url_encode(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))


def _load_private_key(private_pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the signing key must be an RSA key")
    return key


def generate_private_key() -> bytes:
    """Generate an RSA 2048-bit key (public exponent 65537); return it as unencrypted PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=RSA_PUBLIC_EXPONENT, key_size=RSA_KEY_SIZE)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def _fernet() -> Fernet:
    secret = settings.SECRET_KEY
    if not secret:
        raise ValueError("settings.SECRET_KEY is empty")
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(
        secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt_private_key(pem: bytes) -> str:
    """Encrypt a private key PEM for storage; return a Fernet token (ASCII text).

    The Fernet key is derived from ``settings.SECRET_KEY`` with HKDF-SHA256 and a constant salt
    and info. Rotating ``SECRET_KEY`` therefore makes every stored signing key undecryptable:
    before rotating, decrypt each key with the old secret and re-encrypt it with the new one
    (the keys themselves, and so every credential already issued, stay valid).
    """
    return _fernet().encrypt(pem).decode("ascii")


def decrypt_private_key(token: str) -> bytes:
    """Decrypt a token made by ``encrypt_private_key``; return the private key PEM.

    Raises ``cryptography.fernet.InvalidToken`` when the token was altered or was encrypted under
    another ``SECRET_KEY`` (see ``encrypt_private_key`` on rotation).
    """
    return _fernet().decrypt(token.encode("ascii"))


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """Return the RFC 7638 SHA-256 thumbprint (base64url) of an RSA JWK.

    Only the required members ``e``, ``kty`` and ``n`` count, in that order, without whitespace;
    ``kid``, ``alg`` and other optional members do not change the thumbprint.
    """
    if jwk.get("kty") != "RSA":
        raise ValueError("only RSA JWKs are supported")
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"), sort_keys=True)
    return b64url_encode(hashlib.sha256(canonical.encode("utf-8")).digest())


def _public_members(private_pem: bytes) -> dict[str, str]:
    numbers = _load_private_key(private_pem).public_key().public_numbers()
    return {"kty": "RSA", "n": _int_to_b64url(numbers.n), "e": _int_to_b64url(numbers.e)}


def key_id(private_pem: bytes) -> str:
    """Return the key id of a private key: the RFC 7638 thumbprint of its public JWK."""
    return jwk_thumbprint(_public_members(private_pem))


def public_jwk(private_pem: bytes, *, kid: str) -> dict[str, str]:
    """Return the public half of a private key as a JWK for signature verification.

    The JWK holds only public members (``kty``, ``n``, ``e``) plus ``kid``, ``alg`` "RS256" and
    ``use`` "sig"; never ``d`` or any other private member.
    """
    return {**_public_members(private_pem), "kid": kid, "alg": "RS256", "use": "sig"}


def public_key_from_jwk(jwk: dict[str, Any]) -> rsa.RSAPublicKey:
    """Build an RSA public key from a JWK's ``n`` and ``e``.

    Raises ``ValueError`` for a non-RSA JWK, missing or malformed members, or a modulus shorter
    than 2048 bits. Private members, if present, are ignored.
    """
    if not isinstance(jwk, dict) or jwk.get("kty") != "RSA":
        raise ValueError("only RSA JWKs are supported")
    try:
        n = int.from_bytes(b64url_decode(jwk["n"]), "big")
        e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    except KeyError as exc:
        raise ValueError("RSA JWK needs n and e") from exc
    key = rsa.RSAPublicNumbers(e, n).public_key()
    if key.key_size < MIN_RSA_KEY_SIZE:
        raise ValueError("RSA key is shorter than 2048 bits")
    return key
