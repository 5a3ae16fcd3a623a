"""Append to the consent ledger and verify it.

Each record is signed (HMAC-SHA256) with the ledger key over its id, lane, position, the hash of the
record before it in its lane, and its content (:meth:`ConsentRecord.signed_message`): without the
key nobody can edit, insert, reorder or re-chain records, and a gap in a lane's positions is a
deleted record. Deleting the newest records leaves no gap; signed checkpoints kept outside the
database (:mod:`jsg_privacy.consent.checkpoints`) catch that.

Concurrent writers append to different lanes, so none waits for another's commit. On PostgreSQL a
writer keeps the lane it last appended to, with that lane's head (position, hash, id): it signs the
next record against that head and inserts it in one statement, ``INSERT ... SELECT ... WHERE
jsg_privacy_ledger_claim(...)`` (migration 0023), which takes the lane's advisory lock without
waiting and inserts only if the head is still the newest record of the lane. Otherwise (a first
append, or another writer took the lane) ``jsg_privacy_ledger_reserve`` (migrations 0014, 0023)
takes the first free lane's lock and returns its head and a new id, and the record is signed and
inserted after it. Either way the lock lasts until the commit and the key never reaches the
database. Ids are time-ordered (:func:`next_id`): the newest choice is the highest id, and within a
lane ids rise with positions. SQLite has one writer at a time: lane 0, and ``(lane, position)`` and
``prev_hash`` are unique, so a racing writer retries.
"""

from __future__ import annotations

import contextlib
import time
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
#: A keyed record's id on PostgreSQL is the time in ticks of 100 microseconds, times ID_LANES, plus
#: its lane (and above its lane's previous id): about 1.2e15 in 2026, within JavaScript's exact
#: integers. The same formula is in ``jsg_privacy_ledger_reserve`` (migration 0023).
TICK_NS = 100_000
ID_LANES = 64

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
#: The same columns' attribute names. PostgreSQL's driver adapts these values (ints, strings, an
#: aware datetime) as they are, so its path skips the per-field ``get_db_prep_save``: a tenth of
#: an append's CPU time, which four writers in one process share under the GIL.
ATTNAMES = [f.attname for f in FIELDS]


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
    cursor.execute(INSERT + then, _signed(record, key, head, cursor.db))


def _signed(record: ConsentRecord, key: bytes, head: str, connection: Any) -> list[Any]:
    """Chain ``record`` after the hash ``head``, sign it; the values of :data:`COLUMNS`."""
    record.prev_hash = head
    record.created_at = timezone.now()
    record.hash = ledger_keys.mac(key, record.signed_message())
    if connection.vendor == "postgresql":
        return [getattr(record, name) for name in ATTNAMES]
    return [f.get_db_prep_save(getattr(record, f.attname), connection) for f in FIELDS]


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


def next_id(lane: int, head_id: int) -> int:
    """The id of the record after ``head_id`` in ``lane``: time-ordered, above ``head_id``."""
    return max(time.time_ns() // TICK_NS, head_id // ID_LANES + 1) * ID_LANES + lane


#: The head a connection's last append left in its lane: ``(lane, position, hash, id)``.
HEAD = "_jsg_privacy_ledger_head"
CLAIM = " WHERE jsg_privacy_ledger_claim(%s, %s, %s, %s)"
CLAIMED_INSERT = INSERT.replace(") VALUES (", ") SELECT ").removesuffix(")") + CLAIM


def _append_postgresql(connection: Any, record: ConsentRecord, key: bytes) -> None:
    """Append after the head this connection last left, in one statement; else reserve."""
    side_binding = connection.settings_dict["OPTIONS"].get("server_side_binding")
    head = getattr(connection, HEAD, None)
    setattr(connection, HEAD, None)
    if head is not None and not side_binding and _append_claimed(connection, record, key, head):
        setattr(connection, HEAD, (record.lane, record.position, record.hash, record.id))
        return
    _append_reserved(connection, record, key)
    setattr(connection, HEAD, (record.lane, record.position, record.hash, record.id))


def _append_claimed(
    connection: Any, record: ConsentRecord, key: bytes, head: tuple[int, int, str, int]
) -> bool:
    """Insert ``record`` after ``head`` if that is still its lane's newest record and the lane is
    free: one statement. False if nothing was inserted (the lane moved on or is busy)."""
    lane, position, prev_hash, head_id = head
    record.lane, record.position, record.id = lane, position + 1, next_id(lane, head_id)
    values = _signed(record, key, prev_hash, connection)
    with connection.cursor() as cursor:
        cursor.execute(CLAIMED_INSERT, [*values, ADVISORY_LOCK_ID, lane, position, prev_hash])
        return bool(cursor.rowcount == 1)


def _append_reserved(connection: Any, record: ConsentRecord, key: bytes) -> None:
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
