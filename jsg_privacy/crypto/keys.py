"""jsg_privacy's secrets: the keys that encrypt personal data at rest and the key of keyed hashes.

``JSG_PRIVACY_ENCRYPTION_KEYS``, newest first: values are encrypted with the first key and decrypted
with whichever key fits (``MultiFernet``), so a new key is rolled out by putting it first, running
``privacy_rotate_keys``, then dropping the old one.

``JSG_PRIVACY_HASH_KEY``: the HMAC key of subject keys (the consent ledger, the suppression list) and
of ``KeyedHashField`` lookup columns (:func:`hash_key`).

Either, when not configured, is derived from ``SECRET_KEY`` — only with ``DEBUG`` on, for a local
demo (checks ``W005``, ``W006``). With ``DEBUG`` off, :func:`from_secret_key`, the one place a key is
derived, raises ``ImproperlyConfigured`` instead, and checks ``E013`` and ``E016`` refuse to start.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from jsg_privacy.conf import app_settings

SALT = b"jsg_privacy.encryption"
HASH_SALT = b"jsg_privacy.subject"
ENCRYPTION_SETTING = "JSG_PRIVACY_ENCRYPTION_KEYS"
HASH_SETTING = "JSG_PRIVACY_HASH_KEY"

__all__ = [
    "InvalidToken",
    "configured_keys",
    "decrypt",
    "decrypt_many",
    "encrypt",
    "fernet",
    "hash_key",
    "uses_derived_key",
]


def configured_keys() -> tuple[str, ...]:
    """The configured keys, newest first; a string is read as a comma-separated list."""
    keys = app_settings.ENCRYPTION_KEYS
    if isinstance(keys, str):
        keys = keys.split(",")
    return tuple(key.strip() for key in keys if key and key.strip())


def uses_derived_key() -> bool:
    return not configured_keys()


def from_secret_key(salt: bytes, setting: str) -> bytes:
    """SHA-256 of ``salt`` and ``SECRET_KEY``: the key of a project that left ``setting`` empty.

    Only with ``DEBUG`` on; with it off, raises ``ImproperlyConfigured`` naming ``setting``, so nothing
    is ever encrypted or hashed in production with a key whoever knows ``SECRET_KEY`` can make.
    """
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            f"{setting} is not set and DEBUG is off: jsg_privacy does not derive it from "
            "SECRET_KEY outside a local demo. Read it from your secret store (docs/configuration.md)."
        )
    return hashlib.sha256(salt + str(settings.SECRET_KEY).encode()).digest()


def derived_key() -> str:
    """A Fernet key derived from ``SECRET_KEY``, for a demo that configured none (DEBUG on only)."""
    return base64.urlsafe_b64encode(from_secret_key(SALT, ENCRYPTION_SETTING)).decode()


def configured_hash_keys() -> tuple[str, ...]:
    """``JSG_PRIVACY_HASH_KEY`` as a tuple, newest first (a string is a comma-separated list)."""
    secret = app_settings.HASH_KEY
    if isinstance(secret, str):
        secret = secret.split(",")
    return tuple(key.strip() for key in secret if isinstance(key, str) and key.strip())


def uses_derived_hash_key() -> bool:
    return not configured_hash_keys()


#: What the current settings make, built on first use: ``"fernet"`` and ``"hash_keys"``. Reading
#: the settings, splitting the key lists and (in a demo) hashing ``SECRET_KEY`` for every value cost
#: an export more than decrypting it; a change of the settings (``setting_changed``) empties it.
_made: dict[str, Any] = {}
#: The settings the cached objects are made from.
KEY_SETTINGS = frozenset({ENCRYPTION_SETTING, HASH_SETTING, "SECRET_KEY", "DEBUG"})


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in KEY_SETTINGS:
        _made.clear()


def hash_keys() -> tuple[bytes, ...]:
    """Every HMAC key of subject keys and ``KeyedHashField`` digests, newest first: new hashes are
    made with the first; records made under an older one are still found (a rotation must never
    undo an opt-out: the suppression list keeps hashes only, which cannot be recomputed)."""
    made: tuple[bytes, ...] | None = _made.get("hash_keys")
    if made is None:
        made = _made["hash_keys"] = _hash_keys(configured_hash_keys()) or (
            from_secret_key(HASH_SALT, HASH_SETTING),
        )
    return made


@lru_cache(maxsize=8)
def _hash_keys(secrets: tuple[str, ...]) -> tuple[bytes, ...]:
    return tuple(hashlib.sha256(HASH_SALT + secret.encode()).digest() for secret in secrets)


def hash_key() -> bytes:
    """The newest HMAC key (derived from ``SECRET_KEY`` when none is set, with DEBUG on only)."""
    return hash_keys()[0]


def invalid_keys(keys: tuple[str, ...]) -> list[int]:
    """Positions (1-based) of keys that are not Fernet keys (32 url-safe base64-encoded bytes)."""
    bad = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            bad.append(position)
    return bad


def fernet() -> MultiFernet:
    """The ``MultiFernet`` for the current settings, made once per key set (:data:`_made`)."""
    made: MultiFernet | None = _made.get("fernet")
    if made is None:
        made = _made["fernet"] = _fernet(configured_keys() or (derived_key(),))
    return made


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    bad = invalid_keys(keys)
    if bad:
        raise ImproperlyConfigured(
            f"JSG_PRIVACY_ENCRYPTION_KEYS: key {', '.join(map(str, bad))} is not a Fernet key "
            "(32 url-safe base64-encoded bytes; make one with "
            '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`).'
        )
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext of ``token``; raises :class:`InvalidToken` when no configured key fits."""
    return fernet().decrypt(token.encode("ascii", "replace")).decode()


def decrypt_many(values: Iterable[Any]) -> list[Any]:
    """:func:`decrypt` for a column of tokens (an export's) with one look-up of the keys; ``""``
    and ``None`` (no value) are kept as they are."""
    decrypt_one = fernet().decrypt  # takes the token as text: no encoding per value
    values = values if isinstance(values, list | tuple) else list(values)
    if "" in values or None in values:
        return [decrypt_one(value).decode() if value else value for value in values]
    return list(map(bytes.decode, map(decrypt_one, values)))  # every value a token: no test each


def rotate(token: str) -> str:
    """``token`` re-encrypted with the newest key (raises :class:`InvalidToken` like decrypt)."""
    return fernet().rotate(token.encode("ascii", "replace")).decode("ascii")
