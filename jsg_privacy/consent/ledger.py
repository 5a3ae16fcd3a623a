"""Append to the consent ledger and verify it.

Each record is signed (HMAC-SHA256) with the ledger key over its id, lane, position, the hash of the
record before it in its lane, and its content (:meth:`ConsentRecord.signed_message`): without the
key nobody can edit, insert, reorder or re-chain records, and a gap in a lane's positions is a
deleted record. Deleting the newest records leaves no gap; signed checkpoints kept outside the
database (:mod:`jsg_privacy.consent.checkpoints`) catch that.

Concurrent writers append to different lanes, so none waits for another's commit. On PostgreSQL one
call of ``jsg_privacy_ledger_reserve`` (migration 0014) takes the first free lane's advisory lock
and returns the lane's head and the next id; the record is signed here, in Python (the key never
reaches the database), and inserted; the lock is held until the commit. SQLite has one writer at a
time: lane 0, and ``(lane, position)`` and ``prev_hash`` are unique, so a racing writer retries.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Max
from django.utils import timezone

from jsg_privacy.conf import app_settings
from jsg_privacy.consent.chain import Verification, walk_all
from jsg_privacy.consent.models import GENESIS, ConsentRecord, lane_genesis
from jsg_privacy.crypto import ledger_keys

__all__ = ["Verification", "acknowledge_notice", "append", "verify"]

#: An arbitrary constant naming the ledger's advisory locks on PostgreSQL: lane n locks ID + n.
ADVISORY_LOCK_ID = 0x6A73_6701
#: Lanes on PostgreSQL: this many writers append at once without waiting for each other.
LANES = 8
ATTEMPTS = 20
#: psycopg's ``TransactionStatus.IDLE``: no transaction open on the connection.
IDLE = 0

#: The inserted columns, in the order of :data:`INSERT`'s placeholders.
COLUMNS = (
    "id",
    "lane",
    "position",
    "key_id",
    "prev_hash",
    "hash",
    *ConsentRecord.HASHED_FIELDS,
)
INSERT = (
    "INSERT INTO jsg_privacy_consentrecord (id, lane, position, key_id, prev_hash, hash, "
    "created_at, subject_key, purpose, action, channel, medium, version, notice_version, "
    "linked_key) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
FIELDS = [
    next(f for f in ConsentRecord._meta.concrete_fields if f.name == name) for name in COLUMNS
]


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
    """Append one event to the ledger and return it (signed, in its lane)."""
    if not notice_version:
        from jsg_privacy.notice.versions import built

        notice_version = built()[1]
    key_id, key = ledger_keys.signing_key()
    record = ConsentRecord(
        subject_key=subject_key,
        purpose=purpose,
        action=action,
        channel=channel,
        medium=medium,
        version=version,
        notice_version=notice_version,
        linked_key=linked_key,
        key_id=key_id,
    )
    connection = connections[router.db_for_write(ConsentRecord)]
    if connection.vendor == "postgresql":
        _append_postgresql(connection, record, key)
    else:
        _append_one_writer(connection, record, key)
    record._state.adding = False
    record._state.db = connection.alias
    every = app_settings.LEDGER_CHECKPOINT_EVERY
    position = record.position or 0
    if isinstance(every, int) and every > 0 and position and position % every == 0:
        from jsg_privacy import tasks

        tasks.enqueue(tasks.ledger_checkpoint)  # after the commit, so it sees this record
    return record


def _sign(cursor: Any, record: ConsentRecord, key: bytes, head: str | None, then: str = "") -> None:
    """Chain ``record`` after ``head`` (its lane's newest hash; None for a new lane), sign, insert
    (followed by the statement ``then``, in the same round trip)."""
    if head is None:
        head = lane_genesis(record.lane or 0, _legacy_head(cursor))
    record.prev_hash = head
    record.created_at = timezone.now()
    record.hash = ledger_keys.mac(key, record.signed_message())
    connection = cursor.db
    cursor.execute(
        INSERT + then, [f.get_db_prep_save(getattr(record, f.attname), connection) for f in FIELDS]
    )


def _legacy_head(cursor: Any) -> str:
    """The hash of the newest record written before the keyed chain, or :data:`GENESIS`."""
    cursor.execute(
        "SELECT hash FROM jsg_privacy_consentrecord WHERE lane IS NULL ORDER BY id DESC LIMIT 1"
    )
    row = cursor.fetchone()
    return row[0] if row else GENESIS


RESERVE = "SELECT r_lane, r_id, r_position, r_hash FROM jsg_privacy_ledger_reserve(%s, %s)"


def _reserved(record: ConsentRecord, row: tuple[int, int, int | None, str | None]) -> str | None:
    record.lane, record.id, position, head = row
    record.position = (position or 0) + 1
    return head


def _append_postgresql(connection: Any, record: ConsentRecord, key: bytes) -> None:
    """Reserve (lane lock, head, id), then insert; the lane's lock lasts until the commit.

    Inside the caller's transaction that is two statements. Outside one (autocommit) it is two
    round trips, ``BEGIN; <reserve>`` and ``<insert>; COMMIT``, instead of four (except with
    psycopg's server-side binding, which takes one statement per query): appends are on the
    path of every consent choice, and concurrent writers each pay their round trips while holding
    their lane. On any error the transaction is rolled back before the error is raised.
    """
    params = [ADVISORY_LOCK_ID, LANES]
    in_transaction = connection.in_atomic_block or not connection.get_autocommit()
    if in_transaction or connection.settings_dict["OPTIONS"].get("server_side_binding"):
        # Server-side binding sends one statement per query: Django's BEGIN and COMMIT then.
        with (
            transaction.atomic(using=connection.alias, savepoint=False),
            connection.cursor() as cursor,
        ):
            cursor.execute(RESERVE, params)
            _sign(cursor, record, key, _reserved(record, cursor.fetchone()))
        return
    with connection.cursor() as cursor:
        try:
            cursor.execute("BEGIN; " + RESERVE, params)
            cursor.nextset()
            _sign(cursor, record, key, _reserved(record, cursor.fetchone()), then="; COMMIT")
        except BaseException:
            raw = connection.connection
            if raw is not None and not raw.closed and raw.info.transaction_status != IDLE:
                with contextlib.suppress(Exception):
                    raw.execute("ROLLBACK")
            raise


def _append_one_writer(connection: Any, record: ConsentRecord, key: bytes) -> None:
    """SQLite and others: lane 0; a writer that raced another one retries with the new head."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                head = (
                    ConsentRecord.objects.using(connection.alias)
                    .filter(lane=0)
                    .order_by("-position")
                    .values_list("position", "hash")
                    .first()
                )
                newest = ConsentRecord.objects.using(connection.alias).aggregate(Max("id"))
                record.lane = 0
                record.id = (newest["id__max"] or 0) + 1
                record.position = (head[0] or 0) + 1 if head else 1
                _sign(cursor, record, key, head[1] if head else None)
                return
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise


def verify() -> Verification:
    """Verify the whole ledger against the latest signed checkpoint; name the first bad record.

    A checkpoint that does not verify fails too: it names no record, only the checkpoint."""
    from jsg_privacy.consent import checkpointing, checkpoints

    try:
        latest = checkpoints.latest()
    except (checkpoints.CheckpointError, ImproperlyConfigured) as error:
        return Verification(0, None, str(error))
    with checkpointing.snapshot():
        return walk_all(ledger_keys.verifying_keys(), latest)


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
