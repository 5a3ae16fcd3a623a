"""JWTs a Saleor store issues — a customer's access token, the dashboard's app-bridge token —
verified against the store's JWKS.

A token is accepted only if its issuer (``iss``, the store's API URL) is an active installation,
it is RS256 with a ``kid`` in that store's JWKS (fetched again, at most once per
``JSG_PRIVACY_SALEOR_JWKS_REFRESH_SECONDS``, for an unknown one, always from the configured
store's origin) and it has not expired. What the claims must then say is the caller's to check.
"""

from __future__ import annotations

from typing import Any

import jwt
from jwt import PyJWK
from jwt.exceptions import PyJWKSetError, PyJWTError

from jsg_privacy.integrations.saleor.client import SaleorError
from jsg_privacy.integrations.saleor.models import Installation
from jsg_privacy.integrations.saleor.signature import ALGORITHM, keyset_of, refresh_keys

#: Longer than any token Saleor issues; a longer value is refused before it is parsed.
MAX_TOKEN = 8192


def verified_claims(token: str, what: str) -> tuple[Installation, dict[str, Any]]:
    """The installation that issued ``token`` and its claims; ``ValueError`` (naming ``what``,
    never the token) if it is not a valid, unexpired token of a store the app is installed in."""
    if len(token) > MAX_TOKEN:
        raise ValueError(f"The {what} is too long.")
    try:
        header = jwt.get_unverified_header(token)
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except PyJWTError:
        raise ValueError(f"The {what} is not a JWT.") from None
    if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
        raise ValueError(f"The {what} is not signed by a Saleor store.")
    installation = next(
        (
            i
            for i in Installation.objects.active()
            if isinstance(issuer, str) and i.api_url.rstrip("/") == issuer.rstrip("/")
        ),
        None,
    )
    if installation is None:
        raise ValueError(f"The {what} is not from a store this app is installed in.")
    key = _key(installation, header["kid"], what)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "iss"]},
            issuer=issuer,
        )
    except PyJWTError as error:
        raise ValueError(f"The {what} is not valid ({type(error).__name__}).") from None
    return installation, claims


def _key(installation: Installation, kid: str, what: str) -> PyJWK:
    for attempt in range(2):
        keyset = keyset_of(installation)
        if keyset is not None:
            try:
                return keyset[kid]
            except (KeyError, PyJWKSetError):
                pass
        try:
            if attempt or not refresh_keys(installation):
                break
        except SaleorError:
            break
    raise ValueError(f"The {what} is signed by a key the store does not publish.")
