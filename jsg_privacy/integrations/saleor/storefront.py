"""A Saleor customer's access token, verified for the storefront API (``jsg_privacy.storefront``).

Set ``JSG_PRIVACY_STOREFRONT_CUSTOMER_AUTH = "jsg_privacy.integrations.saleor.storefront.customer_email"``.
The token is the JWT Saleor gives a signed-in customer (``tokenCreate``): RS256, signed with the
store's key, whose public half is in the store's JWKS — the same keys as its webhooks. It is
accepted only if its issuer (``iss``, the store's API URL) is an active installation, its ``kid``
is in that store's JWKS (fetched again, at most once per ``JSG_PRIVACY_SALEOR_JWKS_REFRESH_SECONDS``,
for an unknown one), it is an ``access`` token and it has not expired. Saleor's access tokens live
5 minutes by default: a token Saleor revoked stays valid here until then.
"""

from __future__ import annotations

import jwt
from jwt import PyJWK
from jwt.exceptions import PyJWKSetError, PyJWTError

from jsg_privacy.integrations.saleor.client import SaleorError
from jsg_privacy.integrations.saleor.models import Installation
from jsg_privacy.integrations.saleor.signature import ALGORITHM, keyset_of, refresh_keys


def customer_email(token: str) -> str:
    """The e-mail address of the customer ``token`` was issued to; ``ValueError`` if not valid."""
    try:
        header = jwt.get_unverified_header(token)
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except PyJWTError:
        raise ValueError("The customer token is not a JWT.") from None
    if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
        raise ValueError("The customer token is not signed by a Saleor store.")
    installation = next(
        (
            i
            for i in Installation.objects.active()
            if isinstance(issuer, str) and i.api_url.rstrip("/") == issuer.rstrip("/")
        ),
        None,
    )
    if installation is None:
        raise ValueError("The customer token is not from a store this app is installed in.")
    key = _key(installation, header["kid"])
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "iss"]},
            issuer=issuer,
        )
    except PyJWTError as error:
        raise ValueError(f"The customer token is not valid ({type(error).__name__}).") from None
    email = claims.get("email")
    if claims.get("type") != "access" or not isinstance(email, str) or "@" not in email:
        raise ValueError("The token is not a customer's access token.")
    return email


def _key(installation: Installation, kid: str) -> PyJWK:
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
    raise ValueError("The customer token is signed by a key the store does not publish.")
