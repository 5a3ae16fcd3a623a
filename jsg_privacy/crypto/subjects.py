"""Subject keys: who a consent record is about, as a keyed hash, never as a raw identifier.

The ledger and the suppression list store only these keys. The key is an HMAC-SHA256 with
``JSG_PRIVACY_HASH_KEY`` (:func:`jsg_privacy.crypto.keys.hash_key`), so the records identify nobody
to someone who reads the table without the key, while the shop can still find a subject's records.
With ``DEBUG`` off and no ``JSG_PRIVACY_HASH_KEY``, computing a key raises ``ImproperlyConfigured``.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from jsg_privacy.crypto import keys

__all__ = [
    "email_keys",
    "for_consent_id",
    "for_email",
    "for_user",
    "keyed_hash",
    "keyed_hashes",
    "keys_for",
    "user_keys",
]


def keyed_hash(kind: str, value: str) -> str:
    """``HMAC-SHA256(key, "<kind>:<value>")`` as 64 hex characters, with the newest key."""
    return hmac.new(keys.hash_key(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def keyed_hashes(kind: str, value: str) -> list[str]:
    """The keyed hash under every configured key, newest first: what to look records up by, so a
    record made before a key rotation is still found."""
    message = f"{kind}:{value}".encode()
    return [hmac.new(key, message, hashlib.sha256).hexdigest() for key in keys.hash_keys()]


def email_keys(email: str) -> list[str]:
    """:func:`for_email` under every configured key, newest first."""
    return keyed_hashes("email", email.strip().lower())


def user_keys(user: Any) -> list[str]:
    """:func:`for_user` under every configured key, newest first."""
    return keyed_hashes("user", str(getattr(user, "pk", user)))


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
    """The keys a :class:`~jsg_privacy.registry.Subject`'s records may carry: user keys, then
    e-mail keys, under every configured key (newest first)."""
    found = user_keys(subject.user_id) if subject.user_id is not None else []
    return found + (email_keys(subject.email) if subject.email else [])
