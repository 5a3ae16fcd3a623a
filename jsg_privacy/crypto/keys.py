"""The keys that encrypt personal data at rest: ``JSG_PRIVACY_ENCRYPTION_KEYS``, newest first.

Values are encrypted with the first key and decrypted with whichever key fits (``MultiFernet``), so a
new key is rolled out by putting it first, running ``privacy_rotate_keys``, then dropping the old one.
With no key configured a key is derived from ``SECRET_KEY``: convenient for a local demo, refused by
the system check ``jsg_privacy.E013`` when ``DEBUG`` is off.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jsg_privacy.conf import app_settings

SALT = b"jsg_privacy.encryption"

__all__ = ["InvalidToken", "configured_keys", "decrypt", "encrypt", "fernet", "uses_derived_key"]


def configured_keys() -> tuple[str, ...]:
    """The configured keys, newest first; a string is read as a comma-separated list."""
    keys = app_settings.ENCRYPTION_KEYS
    if isinstance(keys, str):
        keys = keys.split(",")
    return tuple(key.strip() for key in keys if key and key.strip())


def uses_derived_key() -> bool:
    return not configured_keys()


def derived_key() -> str:
    """A Fernet key derived from ``SECRET_KEY``, for a project that configured none."""
    digest = hashlib.sha256(SALT + str(settings.SECRET_KEY).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


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
    """The ``MultiFernet`` for the current settings (cached per key list)."""
    return _fernet(configured_keys() or (derived_key(),))


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


def rotate(token: str) -> str:
    """``token`` re-encrypted with the newest key (raises :class:`InvalidToken` like decrypt)."""
    return fernet().rotate(token.encode("ascii", "replace")).decode("ascii")
