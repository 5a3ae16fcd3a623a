"""The suppression list: e-mail keys (keyed hashes) that must not receive marketing by a medium.

An entry is added when someone unsubscribes or withdraws a medium, and lifted only by a later
explicit opt-in for that medium (the ledger's ``given`` record after the ``withdrawn`` or
``unsubscribed`` one shows it). Erasure must keep the list: it is how "never again" is remembered
once everything else about the person is gone, and it holds nothing but a keyed hash.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from jsg_privacy.marketing.models import Suppression


def add(key: str, medium: str, *, channel: str) -> bool:
    """Suppress ``medium`` for the e-mail key ``key``; True if the entry is new."""
    if not key:
        return False
    if Suppression.objects.filter(key=key, medium=medium).exists():
        return False
    try:
        with transaction.atomic():
            Suppression.objects.create(key=key, medium=medium, channel=channel)
    except IntegrityError:  # added meanwhile by a concurrent request
        return False
    return True


def lift(key: str | Iterable[str], medium: str) -> bool:
    """Remove the entry after an explicit opt-in (under every key given: the address under each
    configured hash key); True if there was one."""
    keys = [k for k in ([key] if isinstance(key, str) else key) if k]
    if not keys:
        return False
    deleted, _ = Suppression.objects.filter(key__in=keys, medium=medium).delete()
    return bool(deleted)


def is_suppressed(key: str | Iterable[str], medium: str) -> bool:
    """Whether ``medium`` is suppressed for an e-mail key, or any of several (the same address
    under each configured hash key: an opt-out made before a key rotation still counts)."""
    keys = [key] if isinstance(key, str) else list(key)
    keys = [k for k in keys if k]
    return bool(keys) and Suppression.objects.filter(key__in=keys, medium=medium).exists()
