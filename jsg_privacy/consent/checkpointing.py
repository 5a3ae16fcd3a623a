"""Taking a checkpoint of the consent ledger: check it, then sign and store its heads.

``privacy_ledger_checkpoint`` (run it from cron) is thorough: every record appended since the
latest checkpoint is verified against it (the whole ledger the first time). After every
``JSG_PRIVACY_LEDGER_CHECKPOINT_EVERY`` records of a lane, once the append has committed, a light
one is taken: what the latest checkpoint pinned is still there and each lane's newest record is
signed — a few indexed reads, whatever the ledger's size. Either way a ledger that fails is never
signed over, and the automatic one logs why (record ids, never content).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.core.files.base import ContentFile
from django.db import connections, router, transaction
from django.db.models import Q

from jsg_privacy.consent.chain import ROW_FIELDS, Head, Row, Verification, Walk, records, walk_all
from jsg_privacy.consent.checkpoints import (
    DIRECTORY,
    KEEP,
    Checkpoint,
    CheckpointError,
    Pin,
    equal,
    latest,
    names,
    storage,
)
from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.crypto import ledger_keys

__all__ = ["CheckpointError", "Taken", "snapshot", "take", "take_quietly"]

logger = logging.getLogger("jsg_privacy.consent")


@contextmanager
def snapshot() -> Iterator[None]:
    """Read the ledger as of one moment. On PostgreSQL, lanes commit independently: reading in
    batches without one snapshot could see a lane's later record but not an earlier one."""
    connection = connections[router.db_for_read(ConsentRecord)]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield  # SQLite commits one writer at a time, in id order; a test's transaction is one
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _resume(previous: Checkpoint, keys: dict[str, bytes]) -> Walk:
    walk = Walk(keys)
    walk.keyed_started = True
    walk.legacy_count = previous.legacy.count
    walk.legacy_head = previous.legacy.hash
    walk.legacy_last_id = previous.legacy.last_id
    walk.lanes = {
        lane: Head(pin.position, pin.hash, pin.last_id) for lane, pin in previous.lanes.items()
    }
    return walk


def _still_pinned(previous: Checkpoint) -> Verification | None:
    """What ``previous`` signed is still there: no unsigned record after it, and each lane's
    pinned record unchanged (nothing cut below it). None if so."""
    stray = (
        ConsentRecord.objects.filter(lane__isnull=True, id__gt=previous.legacy.last_id or 0)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if stray is not None:
        return Verification(
            0,
            stray,
            f"it is unsigned (no lane, no key id) but was written after the checkpoint "
            f"{previous.name}",
            previous.name,
        )
    for lane, pin in sorted(previous.lanes.items()):
        found = (
            ConsentRecord.objects.filter(lane=lane, position=pin.position)
            .values_list("hash", flat=True)
            .first()
        )
        if found != pin.hash:
            return Verification(
                0,
                pin.last_id,
                f"it is {'missing' if found is None else 'changed'}: the checkpoint "
                f"{previous.name} signed it at position {pin.position} of lane {lane}",
                previous.name,
            )
    return None


def _since(previous: Checkpoint, keys: dict[str, bytes]) -> tuple[Walk, Verification]:
    """Verify every record appended after ``previous``, starting from its lane heads."""
    walk = _resume(previous, keys)
    broken = _still_pinned(previous)
    if broken:
        return walk, broken
    newer = Q(lane__isnull=False) & ~Q(lane__in=list(previous.lanes))
    for lane, pin in previous.lanes.items():
        newer |= Q(lane=lane, position__gt=pin.position)
    for record in records(newer):
        reason = walk.feed(record)
        if reason:
            return walk, Verification(walk.checked, record.id, reason, previous.name)
    return walk, Verification(walk.checked, checkpoint=previous.name)


def _heads(previous: Checkpoint | None, keys: dict[str, bytes]) -> tuple[Walk, Verification]:
    """Only each lane's newest record, its signature checked: a few indexed reads whatever the
    ledger's size. Every record between was signed and chained when appended, and
    ``privacy_verify_ledger`` checks each of them; pinning the heads is what catches a cut end."""
    name = previous.name if previous else ""
    if previous is not None:
        walk = _resume(previous, keys)
        broken = _still_pinned(previous)
        if broken:
            return walk, broken
    else:
        walk = Walk(keys)
        legacy = ConsentRecord.objects.filter(lane__isnull=True)
        newest = legacy.order_by("-id").values_list("hash", "id").first()
        if newest:
            walk.legacy_count = legacy.count()
            walk.legacy_head, walk.legacy_last_id = newest
    from jsg_privacy.consent.ledger import LANES

    for lane in sorted(set(range(LANES)) | set(walk.lanes)):
        values = (
            ConsentRecord.objects.filter(lane=lane)
            .order_by("-position")
            .values_list(*ROW_FIELDS)
            .first()
        )
        if values is None:
            continue
        head = Row(values)
        key = keys.get(head.key_id or "")
        if key is None or not equal(ledger_keys.mac(key, head.signed_message()), head.hash):
            return walk, Verification(
                walk.checked,
                head.id,
                "it is the newest record of its lane and its signature "
                "does not match (or its key is not configured)",
                name,
            )
        walk.lanes[lane] = Head(head.position, head.hash, head.id)
        walk.checked += 1
    return walk, Verification(walk.checked, checkpoint=name)


@dataclass(frozen=True)
class Taken:
    """What :func:`take` did: the checkpoint written (or the unchanged latest), and the check."""

    checkpoint: Checkpoint | None
    verification: Verification
    written: bool


def take(*, thorough: bool = True) -> Taken:
    """Check the ledger against the latest checkpoint and, if sound, sign and store a new one.

    Thorough (``privacy_ledger_checkpoint``): every record appended since the latest checkpoint
    is verified (the whole ledger for the first one). Otherwise (after appends): what the latest
    checkpoint pinned is still there, and each lane's newest record is signed.
    :class:`CheckpointError` if the latest checkpoint does not verify; a tampered ledger returns
    its :class:`Verification` and writes nothing.
    """
    keys = ledger_keys.verifying_keys()
    key_id, key = ledger_keys.signing_key()
    taken_at = datetime.now(UTC)
    previous = latest()
    with snapshot():
        if not thorough:
            walk, verification = _heads(previous, keys)
        elif previous is None:
            walk = Walk(keys)
            verification = walk_all(keys, None, walk)
        else:
            walk, verification = _since(previous, keys)
    if not verification.ok:
        return Taken(previous, verification, written=False)
    lanes = {
        lane: Pin(head.position, head.hash, head.last_id)
        for lane, head in walk.lanes.items()
        if head.position
    }
    legacy = Pin(walk.legacy_count, walk.legacy_head, walk.legacy_last_id)
    total = legacy.count + sum(pin.position for pin in lanes.values())
    if previous is None and not total:
        return Taken(None, verification, written=False)  # an empty ledger: nothing to pin
    if previous is not None and (previous.lanes, previous.legacy) == (lanes, legacy):
        return Taken(previous, verification, written=False)
    stamp = taken_at.strftime("%Y%m%dT%H%M%S%fZ")
    checkpoint = Checkpoint(
        name=f"{DIRECTORY}/{stamp}-{total:012d}.json",
        taken_at=taken_at.isoformat(timespec="microseconds"),
        key_id=key_id,
        records=total,
        legacy=legacy,
        lanes=lanes,
    )
    chosen = storage()
    saved = chosen.save(checkpoint.name, ContentFile(checkpoint.signed(key)))
    checkpoint = replace(checkpoint, name=saved)
    for old in names()[:-KEEP]:
        chosen.delete(old)
    return Taken(checkpoint, verification, written=True)


def take_quietly() -> None:
    """Take a checkpoint after an append; never raise (the page has been answered): log instead.

    The log names records by id and says what is wrong with them, never their content."""
    try:
        taken = take(thorough=False)
    except Exception:
        logger.exception("The consent ledger checkpoint could not be taken.")
        return
    if not taken.verification.ok:
        logger.error(
            "The consent ledger failed verification at record #%s: %s. No checkpoint was taken; "
            "run privacy_verify_ledger.",
            taken.verification.first_broken,
            taken.verification.reason,
        )
