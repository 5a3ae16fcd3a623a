"""The consent ledger's keys: the secrets its chain and checkpoints are signed with (HMAC-SHA256).

``JSG_PRIVACY_LEDGER_KEYS``, newest first. The first signs new records and checkpoints; every listed
key verifies, so a rotation (a new key put first) never breaks the records signed before it. Each
record and checkpoint names its key by a key id, a fingerprint of the key that reveals nothing of it.

The ledger key is its own secret, apart from ``JSG_PRIVACY_HASH_KEY``: that one makes subject keys,
which code that checks the suppression list or looks a customer up must compute, while the ledger
key lets its holder rewrite history. Either can be rotated without touching the other. It is
never derived from ``SECRET_KEY`` and never sent to the database (the chain is computed in Python).

With ``DEBUG`` off a key is required (check ``E035``, and :func:`signing_key` raises). With ``DEBUG``
on and none set, a public demo key signs (check ``W035``): such records prove nothing, and with
``DEBUG`` off they fail verification.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from jsg_privacy.conf import app_settings

SETTING = "JSG_PRIVACY_LEDGER_KEYS"
#: The public key of a local demo (DEBUG on, no key set). Never used with DEBUG off.
DEMO_KEY = "jsg_privacy public demo ledger key: not a secret, DEBUG only"
MIN_LENGTH = 32
GENERATE = (
    'Make one with `python -c "import secrets; print(secrets.token_urlsafe(48))"`, read it from '
    "your secret store (never the repo, never SECRET_KEY) and keep every old one listed after it: "
    "it verifies the records it signed."
)


def configured() -> tuple[str, ...]:
    """The configured keys, newest first; a string is read as a comma-separated list."""
    value = app_settings.LEDGER_KEYS
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        return ()
    return tuple(key.strip() for key in value if isinstance(key, str) and key.strip())


def too_short() -> list[int]:
    """Positions (1-based) of configured keys shorter than :data:`MIN_LENGTH` characters."""
    return [n for n, key in enumerate(configured(), start=1) if len(key) < MIN_LENGTH]


def uses_demo_key() -> bool:
    return not configured()


def key_id(key: str) -> str:
    """A short, stable name for ``key``: 12 hex characters of an HMAC of a constant under it."""
    return hmac.new(key.encode(), b"jsg_privacy.ledger.key-id", hashlib.sha256).hexdigest()[:12]


def _usable() -> tuple[str, ...]:
    keys = configured()
    if keys:
        return keys
    if settings.DEBUG:
        return (DEMO_KEY,)
    raise ImproperlyConfigured(
        f"{SETTING} is not set and DEBUG is off: the consent ledger cannot be signed or verified. "
        + GENERATE
    )


#: ``(key id, key)`` for the current settings, made on first use and dropped on a setting change:
#: every append signs with it, and reading the settings and fingerprinting the key per record is
#: work a writer holding its lane does not need to repeat.
_signing: list[tuple[str, bytes]] = []


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in (SETTING, "DEBUG"):
        _signing.clear()


def signing_key() -> tuple[str, bytes]:
    """``(key id, key)`` that signs new records and checkpoints: the first configured key."""
    if not _signing:
        key = _usable()[0]
        _signing.append((key_id(key), key.encode()))
    return _signing[0]


def verifying_keys() -> dict[str, bytes]:
    """Every usable key by its key id: old records are verified with the key that signed them."""
    return {key_id(key): key.encode() for key in _usable()}


def mac(key: bytes, message: bytes) -> str:
    """HMAC-SHA256 of ``message`` as 64 hex characters."""
    return hmac.new(key, message, hashlib.sha256).hexdigest()
