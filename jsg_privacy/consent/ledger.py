"""Append to the consent ledger and verify its chain.

Each record stores the hash of the one before it, and ``prev_hash`` is unique: two writers that read
the same last record cannot both append after it, so the chain never forks. On PostgreSQL an append is one call of a database function
(migration 0005) that takes a transaction-level advisory lock, so writers queue instead of
retrying, and each append costs one round trip.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from jsg_privacy.consent.models import GENESIS, ConsentRecord

#: An arbitrary constant naming the ledger's advisory lock on PostgreSQL.
ADVISORY_LOCK_ID = 0x6A73_6701
ATTEMPTS = 20
BATCH = 2000


def append(
    *,
    subject_key: str,
    purpose: str,
    action: str,
    channel: str,
    medium: str = "",
    version: str = "",
    notice_version: str = "",
    linked_key: str = "",
) -> ConsentRecord:
    """Append one event after the newest record and return it."""
    if not notice_version:
        from jsg_privacy.notice.versions import built

        notice_version = built()[1]
    fields = {
        "subject_key": subject_key,
        "purpose": purpose,
        "action": action,
        "channel": channel,
        "medium": medium,
        "version": version,
        "notice_version": notice_version,
        "linked_key": linked_key,
    }
    connection = connections[router.db_for_write(ConsentRecord)]
    if connection.vendor == "postgresql":
        return _append_in_database(connection, fields)
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic(using=connection.alias):
                last = ConsentRecord.objects.order_by("-id").values_list("hash", flat=True).first()
                record = ConsentRecord(
                    prev_hash=last or GENESIS, created_at=timezone.now(), **fields
                )
                record.hash = record.compute_hash()
                record.save(force_insert=True)
                return record
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _append_in_database(connection: Any, fields: dict[str, str]) -> ConsentRecord:
    """One round trip: the function ``jsg_privacy_ledger_append`` (migration 0005) locks, chains
    and inserts in the caller's transaction."""
    record = ConsentRecord(created_at=timezone.now(), **fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r_id, r_prev_hash, r_hash FROM jsg_privacy_ledger_append("
            "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                ADVISORY_LOCK_ID,
                record.created_at,
                *(fields[name] for name in FIELD_ORDER),
                record.canonical(),
            ],
        )
        record.id, record.prev_hash, record.hash = cursor.fetchone()
    record._state.adding = False
    record._state.db = connection.alias
    return record


#: The append function's parameters after ``created_at``: the hashed fields, in the hashed order.
FIELD_ORDER = tuple(name for name in ConsentRecord.HASHED_FIELDS if name != "created_at")


@dataclass(frozen=True)
class Verification:
    checked: int
    first_broken: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def _records() -> Iterator[ConsentRecord]:
    """Every record in chain order, read in batches (never the whole table at once)."""
    last_id = 0
    while True:
        batch = list(ConsentRecord.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def verify() -> Verification:
    """Walk the chain from the first record; name the first one whose link or hash is wrong."""
    expected_prev = GENESIS
    checked = 0
    for record in _records():
        if record.prev_hash != expected_prev:
            return Verification(
                checked, record.id, "its previous hash does not match the record before it"
            )
        if record.compute_hash() != record.hash:
            return Verification(checked, record.id, "its content does not match its hash")
        expected_prev = record.hash
        checked += 1
    return Verification(checked)


def acknowledge_notice(*, subject_key: str, channel: str) -> ConsentRecord:
    """Record that the subject was shown the current privacy notice (e.g. at sign-up)."""
    from jsg_privacy.consent.models import Action
    from jsg_privacy.notice.versions import built

    digest = built()[1]
    return append(
        subject_key=subject_key,
        purpose="notice",
        action=Action.ACKNOWLEDGED,
        channel=channel,
        version=digest,
        notice_version=digest,
    )
