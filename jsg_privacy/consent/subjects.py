"""Subject keys: who a consent record is about, as a keyed hash, never as a raw identifier.

The ledger and the suppression list store only these keys. The key is an HMAC-SHA256 with
``JSG_PRIVACY_HASH_KEY`` (default: the project's ``SECRET_KEY``), so the records identify nobody to
someone who reads the table without the key, while the shop can still find a subject's records.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings

from jsg_privacy.conf import app_settings

SALT = b"jsg_privacy.subject"


def _key() -> bytes:
    secret = app_settings.HASH_KEY or settings.SECRET_KEY
    return hashlib.sha256(SALT + secret.encode()).digest()


def keyed_hash(kind: str, value: str) -> str:
    """``HMAC-SHA256(key, "<kind>:<value>")`` as 64 hex characters."""
    return hmac.new(_key(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def for_user(user: Any) -> str:
    """The key of a user (or a user id)."""
    return keyed_hash("user", str(getattr(user, "pk", user)))


def for_email(email: str) -> str:
    """The key of an e-mail address, case-insensitive and without surrounding spaces."""
    return keyed_hash("email", email.strip().lower())


def for_consent_id(consent_id: str) -> str:
    """The key of an anonymous visitor, from the random id in their consent cookie."""
    return keyed_hash("visitor", consent_id)


def keys_for(subject: Any) -> list[str]:
    """The keys a :class:`~jsg_privacy.registry.Subject`'s records carry: user key, then e-mail key."""
    found = [for_user(subject.user_id)] if subject.user_id is not None else []
    return found + ([for_email(subject.email)] if subject.email else [])
