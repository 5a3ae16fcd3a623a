"""Verify a webhook's ``Saleor-Signature`` with the store's signing keys.

Saleor signs the raw body as an RS256 JWS with a detached, unencoded payload (RFC 7797: header
``{"alg": "RS256", "kid": <RFC 7638 thumbprint>, "b64": false, "crit": ["b64"]}``). The header is
checked first — only RS256, only detached — so ``alg: none`` and HS256-with-the-public-key tricks
never reach a decoder; saleor_sdk then finds the key by ``kid`` in the store's JWKS and its verifier
checks the signature. (saleor_sdk's ``decode_webook_payload`` does the same three steps, but reads
the header again and takes the algorithm from it; the header is read once here, and the algorithm
is fixed.)
An unknown ``kid`` (Saleor rotated its key) fetches the JWKS again, at most once per
``JSG_PRIVACY_SALEOR_JWKS_REFRESH_SECONDS``, always from the store's configured origin.
"""

from __future__ import annotations

import binascii
import json
from datetime import timedelta
from typing import Any

from django.utils import timezone
from jwt import PyJWKSet
from jwt.exceptions import PyJWKSetError, PyJWTError
from jwt.utils import base64url_decode
from saleor_sdk.crypto.exceptions import CryptoException, JWKSKeyMissing
from saleor_sdk.crypto.utils import get_key_from_jwks, jws_global_obj

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
    kid = check_header(signature)["kid"]
    try:
        _decode(installation, kid, signature, body)
    except JWKSKeyMissing:
        if not refresh_keys(installation):
            raise InvalidSignature("The signing key is unknown.") from None
        try:
            _decode(installation, kid, signature, body)
        except JWKSKeyMissing:
            raise InvalidSignature("The signing key is unknown.") from None


def check_header(signature: str) -> dict[str, Any]:
    """The JWS header, if it is one Saleor makes: RS256, a ``kid``, detached and unencoded."""
    # Only the (short) header segment is read here; saleor_sdk checks the whole JWS when verifying.
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
    keyset = keyset_of(installation)
    if keyset is None:
        raise JWKSKeyMissing("The store's key set is empty.")
    key = get_key_from_jwks(kid=kid, jwks=keyset)  # raises JWKSKeyMissing
    try:
        jws_global_obj.decode(signature, algorithms=[ALGORITHM], key=key, detached_payload=body)
    except (PyJWTError, CryptoException, ValueError, TypeError) as error:
        raise InvalidSignature(f"The signature does not verify ({type(error).__name__}).") from None


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
