"""Walking the consent ledger's chain: what makes a record good, and the first one that is not.

:class:`Walk` takes records in id order and keeps each lane's head (position and hash). The unkeyed
records written before the keyed chain come first and are checked with SHA-256; a keyed record must
carry the next position of its lane, follow its lane's head (or the lane's genesis, which binds the
unkeyed records' last hash), and match its HMAC under the key its ``key_id`` names. Checked against a
signed checkpoint, every lane must still reach the checkpoint's position with the same hash there, so
deleting the newest records is caught too.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from jsg_privacy.consent.models import GENESIS, Chained, ConsentRecord, lane_genesis
from jsg_privacy.crypto import ledger_keys

if TYPE_CHECKING:
    from jsg_privacy.consent.checkpoints import Checkpoint

BATCH = 2000
#: Lanes a record may name (the writers use fewer; a larger number is a forged row).
MAX_LANES = 64


ROW_FIELDS = ("id", "lane", "position", "key_id", "prev_hash", "hash", *Chained.HASHED_FIELDS)


class Row(Chained):
    """A ledger record as read for verifying it: its columns, no model instance (a walk reads
    every record, so this is what a million of them cost)."""

    __slots__ = ROW_FIELDS

    def __init__(self, values: tuple[Any, ...]) -> None:
        for name, value in zip(ROW_FIELDS, values, strict=True):
            setattr(self, name, value)


@dataclass(frozen=True)
class Verification:
    """The outcome of a walk: how many records verified, and the first bad one with why."""

    checked: int
    first_broken: int | None = None
    reason: str = ""
    #: The checkpoint the ledger was verified against ("" when there is none yet).
    checkpoint: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


@dataclass
class Head:
    """A lane's newest record as far as the walk has read."""

    position: int = 0
    hash: str = ""
    last_id: int | None = None


@dataclass
class Walk:
    keys: dict[str, bytes]
    checkpoint: Checkpoint | None = None
    lanes: dict[int, Head] = field(default_factory=dict)
    legacy_count: int = 0
    legacy_head: str = GENESIS
    legacy_last_id: int | None = None
    keyed_started: bool = False
    checked: int = 0

    def feed(self, record: Chained) -> str:
        """Check ``record`` after those already fed; why it is bad, or ``""``."""
        reason = self._keyed(record) if record.lane is not None else self._legacy(record)
        if not reason:
            self.checked += 1
        return reason

    def _legacy(self, record: Chained) -> str:
        if self.keyed_started:
            return (
                "it is unsigned (no lane, no key id) but comes after the keyed chain began; every "
                "record since then is signed with the ledger key"
            )
        if record.prev_hash != self.legacy_head:
            return "its previous hash does not match the record before it"
        if record.compute_hash() != record.hash:
            return "its content does not match its hash"
        self.legacy_count += 1
        self.legacy_head = record.hash
        self.legacy_last_id = record.id
        return ""

    def start_keyed(self) -> str:
        """The unkeyed records are complete: compare them with the checkpoint's."""
        self.keyed_started = True
        expected = self.checkpoint.legacy if self.checkpoint else None
        if expected is None or (expected.count, expected.hash) == (
            self.legacy_count,
            self.legacy_head,
        ):
            return ""
        return (
            f"the unsigned records written before the keyed chain were changed: the checkpoint "
            f"counts {expected.count} ending with #{expected.last_id}, the ledger has "
            f"{self.legacy_count} ending with #{self.legacy_last_id}"
        )

    def _keyed(self, record: Chained) -> str:
        if not self.keyed_started:
            broken = self.start_keyed()
            if broken:
                return broken
        lane = record.lane
        if lane is None or not 0 <= lane < MAX_LANES or record.position is None:
            return "its lane or position is not valid"
        key = self.keys.get(record.key_id or "")
        if key is None:
            return (
                f"it is signed with key id {record.key_id!r}, which is not in "
                f"{ledger_keys.SETTING} (keep old keys listed after the new one)"
            )
        head = self.lanes.setdefault(lane, Head())
        expected = head.position + 1
        if record.position > expected:
            missing = record.position - expected
            return (
                f"{missing} record{'s' if missing > 1 else ''} before it in lane {lane} "
                f"{'are' if missing > 1 else 'is'} missing (position {expected}"
                f"{f'-{record.position - 1}' if missing > 1 else ''}, after "
                f"{f'#{head.last_id}' if head.last_id else 'the start of the lane'})"
            )
        if record.position < expected:
            return f"its position in lane {lane} ({record.position}) repeats an earlier record's"
        previous = head.hash or lane_genesis(lane, self.legacy_head)
        if record.prev_hash != previous and head.hash:
            return (
                f"its previous hash does not match the record before it in lane {lane} "
                f"(#{head.last_id})"
            )
        if record.prev_hash != previous:
            return (
                f"it does not follow the start of lane {lane}, which binds the "
                f"{self.legacy_count} unsigned records written before the keyed chain: they, or "
                "it, were changed"
            )
        if not hmac.compare_digest(ledger_keys.mac(key, record.signed_message()), record.hash):
            return "its content does not match its signature"
        checkpoint = self.checkpoint
        pinned = checkpoint.lanes.get(lane) if checkpoint else None
        if (
            checkpoint
            and pinned
            and pinned.position == record.position
            and pinned.hash != record.hash
        ):
            return (
                f"it is not the record the checkpoint of {checkpoint.taken_at} signed at "
                f"position {record.position} of lane {lane} (#{pinned.last_id}): the lane was "
                "rewritten"
            )
        head.position, head.hash, head.last_id = record.position, record.hash, record.id
        return ""

    def finish(self) -> tuple[int | None, str]:
        """After the last record: what the checkpoint holds that the ledger lost, if anything."""
        if not self.keyed_started:
            broken = self.start_keyed()
            if broken:
                return self.legacy_last_id, broken
        if self.checkpoint is None:
            return None, ""
        for lane, pinned in sorted(self.checkpoint.lanes.items()):
            head = self.lanes.get(lane, Head())
            if head.position < pinned.position:
                missing = pinned.position - head.position
                after = f"#{head.last_id}" if head.last_id else f"the start of lane {lane}"
                return pinned.last_id, (
                    f"it is missing: the checkpoint of {self.checkpoint.taken_at} counts "
                    f"{pinned.position} records in lane {lane}, the ledger has {head.position}; "
                    f"the {missing} newest (after {after}, up to #{pinned.last_id}) were deleted"
                )
        return None, ""


def records(condition: Q | None = None) -> Iterator[Row]:
    """Records (those matching ``condition``) in id order, read in batches, never all at once."""
    chosen = ConsentRecord.objects.filter(condition) if condition else ConsentRecord.objects.all()
    last_id = 0
    while True:
        batch = list(chosen.filter(id__gt=last_id).order_by("id").values_list(*ROW_FIELDS)[:BATCH])
        if not batch:
            return
        for values in batch:
            yield Row(values)
        last_id = batch[-1][0]


def walk_all(
    keys: dict[str, bytes], checkpoint: Checkpoint | None, walk: Walk | None = None
) -> Verification:
    """Verify every record, then the checkpoint's lanes and count (``walk`` keeps the heads)."""
    walk = walk or Walk(keys, checkpoint)
    name = checkpoint.name if checkpoint else ""
    for record in records():
        reason = walk.feed(record)
        if reason:
            return Verification(walk.checked, record.id, reason, name)
    broken, reason = walk.finish()
    return Verification(walk.checked, broken, reason, name)
