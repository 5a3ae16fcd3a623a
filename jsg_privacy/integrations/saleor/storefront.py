"""A Saleor customer's access token, verified for the storefront API (``jsg_privacy.storefront``).

Set ``JSG_PRIVACY_STOREFRONT_CUSTOMER_AUTH = "jsg_privacy.integrations.saleor.storefront.customer_email"``
(and ``JSG_PRIVACY_STOREFRONT_CUSTOMER_CONTACT = "...storefront.customer_contact"``, below).
The token is the JWT Saleor gives a signed-in customer (``tokenCreate``): RS256, signed with the
store's key, whose public half is in the store's JWKS — the same keys as its webhooks. It is
accepted only if its issuer (``iss``, the store's API URL) is an active installation, its ``kid``
is in that store's JWKS (fetched again, at most once per ``JSG_PRIVACY_SALEOR_JWKS_REFRESH_SECONDS``,
for an unknown one), it is an ``access`` token and it has not expired. Saleor's access tokens live
5 minutes by default: a token Saleor revoked stays valid here until then.
"""

from __future__ import annotations

from jsg_privacy.integrations.saleor import queries
from jsg_privacy.integrations.saleor.client import Client
from jsg_privacy.integrations.saleor.models import Installation
from jsg_privacy.integrations.saleor.tokens import verified_claims

#: The media :func:`customer_contact` can answer for; any other is never switched on through it.
PHONE_MEDIA = frozenset({"sms", "phone"})


def customer_email(token: str) -> str:
    """The e-mail address of the customer ``token`` was issued to; ``ValueError`` if not valid."""
    _installation, claims = verified_claims(token, "customer token")
    email = claims.get("email")
    if claims.get("type") != "access" or not isinstance(email, str) or "@" not in email:
        raise ValueError("The token is not a customer's access token.")
    return email


def customer_contact(email: str, medium: str) -> str:
    """How the store can reach the customer ``email`` by ``medium``: the address itself for
    e-mail; for text messages and calls, the first phone number of their saved addresses in
    Saleor; for post, the first saved street address. Empty when they have none (or for another
    medium). Raises :class:`~.client.SaleorError` when the store cannot be asked.
    """
    if medium == "email":
        return email
    if medium not in PHONE_MEDIA and medium != "post":
        return ""
    for installation in Installation.objects.active().order_by("pk"):
        client = Client(installation.api_url, installation.token)
        user = client.execute(queries.CUSTOMER_CONTACT, {"email": email}).get("user")
        addresses = user.get("addresses") if isinstance(user, dict) else None
        for address in addresses if isinstance(addresses, list) else []:
            if not isinstance(address, dict):
                continue
            if medium in PHONE_MEDIA:
                found = str(address.get("phone") or "").strip()
            else:
                street = str(address.get("streetAddress1") or "").strip()
                postcode = str(address.get("postalCode") or "").strip()
                found = ", ".join(filter(None, [street, postcode])) if street else ""
            if found:
                return found
    return ""
