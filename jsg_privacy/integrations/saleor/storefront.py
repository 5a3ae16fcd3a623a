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

from jsg_privacy.integrations.saleor.tokens import verified_claims


def customer_email(token: str) -> str:
    """The e-mail address of the customer ``token`` was issued to; ``ValueError`` if not valid."""
    _installation, claims = verified_claims(token, "customer token")
    email = claims.get("email")
    if claims.get("type") != "access" or not isinstance(email, str) or "@" not in email:
        raise ValueError("The token is not a customer's access token.")
    return email
