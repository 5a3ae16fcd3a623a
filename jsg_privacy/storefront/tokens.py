"""Signed visitor tokens: an anonymous storefront visitor's id, in place of a consent cookie.

A token is ``django.core.signing`` over a random id (salted, timestamped): forged or altered
tokens, and tokens older than ``JSG_PRIVACY_STOREFRONT_VISITOR_TOKEN_DAYS``, are refused. In the
ledger the visitor is the keyed hash of the id, as a consent cookie's visitor is.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core import signing

from jsg_privacy.storefront.conf import storefront_settings

SALT = "jsg_privacy.storefront.visitor"


class InvalidToken(ValueError):
    """Forged, altered, expired or not a visitor token."""


def issue() -> str:
    return signing.dumps({"visitor": secrets.token_urlsafe(18)}, salt=SALT, compress=False)


def visitor_id(token: str) -> str:
    """The visitor id in ``token``; :class:`InvalidToken` unless it is ours and current."""
    try:
        value = signing.loads(
            token,
            salt=SALT,
            max_age=timedelta(days=storefront_settings.VISITOR_TOKEN_DAYS),
        )
    except signing.BadSignature:  # SignatureExpired included
        raise InvalidToken("The visitor token is not valid.") from None
    visitor = value.get("visitor") if isinstance(value, dict) else None
    if not isinstance(visitor, str) or not visitor:
        raise InvalidToken("The visitor token is not valid.")
    return visitor
