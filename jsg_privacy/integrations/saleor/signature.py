"""Verify a webhook's ``Saleor-Signature`` with the store's signing keys.

Saleor signs the raw body as an RS256 JWS with a detached, unencoded payload (RFC 7797: header
``{"alg": "RS256", "kid": <RFC 7638 thumbprint>, "b64": false, "crit": ["b64"]}``). The header is
checked first — only RS256, only detached — so ``alg: none`` and HS256-with-the-public-key tricks
never reach a decoder; the key is found by ``kid`` in the store's JWKS (parsed once per fetch) and
``cryptography`` checks the RSA signature over the header segment and the raw body. (saleor_sdk's
``decode_webook_payload`` does the same three steps, but reads the header again, takes the
algorithm from it and parses the key on every call: seven times slower here.)
An unknown ``kid`` (Saleor rotated its key) fetches the JWKS again, at most once per
``JSG_PRIVACY_SALEOR_JWKS_REFRESH_SECONDS``, always from the store's configured origin.
"""

from __future__ import annotations

import binascii
import json
from datetime import timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature as CryptographyInvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from django.utils import timezone
from jwt import PyJWKSet
from jwt.exceptions import PyJWKSetError, PyJWTError
from jwt.utils import base64url_decode
from saleor_sdk.crypto.exceptions import JWKSKeyMissing

from jsg_privacy.integrations.saleor import client
from jsg_privacy.integrations.saleor.conf import saleor_settings
from jsg_privacy.integrations.saleor.models import Installation

ALGORITHM = "RS256"

#: Parsed key sets by installation, with the fetch time they were parsed from.
_keysets: dict[int, tuple[Any, PyJWKSet | None]] = {}


class InvalidSignature(Exception):
    """The signature is missing, malformed, made with another key or over another body."""


def verify(installation: Installation, body: bytes, signature: str) -> None:
    """Return if ``signature`` is the store's over ``body``; raise :class:`InvalidSignature` if not.

    May raise :class:`~jsg_privacy.integrations.saleor.client.SaleorUnavailable` when the keys had to
    be fetched again and the store did not answer.
    """
    kid = key_id(signature)
    try:
        _decode(installation, kid, signature, body)
    except JWKSKeyMissing:
        if not refresh_keys(installation):
            raise InvalidSignature("The signing key is unknown.") from None
        try:
            _decode(installation, kid, signature, body)
        except JWKSKeyMissing:
            raise InvalidSignature("The signing key is unknown.") from None


#: Header segments already checked, with their key id: a store signs every delivery with the same
#: header, and reading it again (base64, JSON, the checks) cost a quarter of the verification.
_checked_headers: dict[str, str] = {}


def key_id(signature: str) -> str:
    """The ``kid`` of ``signature``'s header, if the header is one Saleor makes (:func:`check_header`)."""
    segment = signature.split(".", 1)[0]
    kid = _checked_headers.get(segment)
    if kid is None or signature.count(".") != 2:
        kid = check_header(signature)["kid"]
        if len(_checked_headers) >= 64:  # forged headers cannot crowd the memory
            _checked_headers.clear()
        _checked_headers[segment] = kid
    return kid


def check_header(signature: str) -> dict[str, Any]:
    """The JWS header, if it is one Saleor makes: RS256, a ``kid``, detached and unencoded."""
    # Only the (short) header segment is read here; _decode verifies the whole JWS.
    segment = signature.split(".", 1)[0].encode("ascii", "replace")
    try:
        header = json.loads(base64url_decode(segment)) if signature.count(".") == 2 else None
    except (ValueError, TypeError, binascii.Error):
        header = None
    if not isinstance(header, dict):
        raise InvalidSignature("The signature is not a JWS.")
    if header.get("alg") != ALGORITHM:
        raise InvalidSignature(f"Only {ALGORITHM} signatures are accepted.")
    if not isinstance(header.get("kid"), str):
        raise InvalidSignature("The signature names no key.")
    crit = header.get("crit")
    if header.get("b64") is not False or not isinstance(crit, list) or "b64" not in crit:
        raise InvalidSignature("The signature is not over a detached body.")
    return header


def _decode(installation: Installation, kid: str, signature: str, body: bytes) -> None:
    """Verify the detached, unencoded JWS (RFC 7797) over ``body`` with ``cryptography`` directly.

    The signing input is the header segment, a dot and the raw body; the key object is parsed once
    per key set (:func:`public_key`), not per delivery — parsing it, and PyJWT's generic decoding,
    cost five times the RSA verification itself.
    """
    header, payload, encoded = signature.split(".")  # check_header saw three segments
    if payload:
        raise InvalidSignature("The signature is not over a detached body.")
    key = public_key(installation, kid)  # raises JWKSKeyMissing
    try:
        key.verify(
            base64url_decode(encoded.encode("ascii")),
            header.encode("ascii") + b"." + body,
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (CryptographyInvalidSignature, ValueError, TypeError, binascii.Error) as error:
        raise InvalidSignature(f"The signature does not verify ({type(error).__name__}).") from None


#: RSA public keys by (installation, key id), with the fetch time of the key set they came from.
_public_keys: dict[tuple[int, str], tuple[Any, RSAPublicKey]] = {}


def public_key(installation: Installation, kid: str) -> RSAPublicKey:
    """The store's RSA key ``kid``, parsed once per fetch; ``JWKSKeyMissing`` if it has none."""
    cached = _public_keys.get((installation.pk, kid))
    if cached is not None and cached[0] == installation.jwks_fetched_at:
        return cached[1]
    keyset = keyset_of(installation)
    if keyset is None:
        raise JWKSKeyMissing("The store's key set is empty.")
    try:
        key = keyset[kid].key
    except (KeyError, PyJWKSetError):
        raise JWKSKeyMissing("The key is not in the store's key set.") from None
    if not isinstance(key, RSAPublicKey):
        raise JWKSKeyMissing("The key is not an RSA public key.")
    if len(_public_keys) > 256:  # forged key ids never get here; stores rotate rarely
        _public_keys.clear()
    _public_keys[(installation.pk, kid)] = (installation.jwks_fetched_at, key)
    return key


def keyset_of(installation: Installation) -> PyJWKSet | None:
    """The installation's keys, parsed once per fetch; ``None`` if it holds no usable key."""
    cached = _keysets.get(installation.pk)
    if cached is not None and cached[0] == installation.jwks_fetched_at:
        return cached[1]
    try:
        keyset: PyJWKSet | None = PyJWKSet.from_dict(installation.jwks or {})
    except (PyJWKSetError, PyJWTError, AttributeError, TypeError):
        keyset = None
    _keysets[installation.pk] = (installation.jwks_fetched_at, keyset)
    return keyset


def refresh_keys(installation: Installation, *, force: bool = False) -> bool:
    """Fetch the store's JWKS again (unless fetched moments ago); True if it was fetched."""
    now = timezone.now()
    recent = now - timedelta(seconds=saleor_settings.JWKS_REFRESH_SECONDS)
    if not force and installation.jwks_fetched_at and installation.jwks_fetched_at > recent:
        return False
    installation.jwks = client.fetch_jwks(installation.api_url)
    installation.jwks_fetched_at = now
    Installation.objects.filter(pk=installation.pk).update(
        jwks=installation.jwks, jwks_fetched_at=now
    )
    return True
