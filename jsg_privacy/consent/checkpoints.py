"""Signed checkpoints of the consent ledger, kept where a database writer cannot reach them.

A checkpoint holds each lane's newest position, hash and id, the unsigned records' count and last
hash (those written before the keyed chain), and the total, signed (HMAC-SHA256) with the ledger
key. ``privacy_verify_ledger`` checks the ledger against the latest one: records deleted from the
end of a lane, which leave no gap in the chain, are missing from what the checkpoint signed.

A checkpoint is written to the storage ``JSG_PRIVACY_LEDGER_CHECKPOINT_STORAGE`` names (default
``"default"``: a file under ``MEDIA_ROOT``, outside the database) as
``jsg_privacy/ledger-checkpoints/<UTC time>-<records>.json``, the newest :data:`KEEP` kept. This
module is the format and the storage; :mod:`jsg_privacy.consent.checkpointing` takes them.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, InvalidStorageError, Storage, storages

from jsg_privacy.conf import app_settings
from jsg_privacy.crypto import ledger_keys

DIRECTORY = "jsg_privacy/ledger-checkpoints"
KEEP = 50
FORMAT = 1
SIGNED_PREFIX = b"jsg_privacy.ledger.checkpoint|"
SETTING = "JSG_PRIVACY_LEDGER_CHECKPOINT_STORAGE"


class CheckpointError(Exception):
    """A checkpoint that cannot be read or does not verify (its message names the file)."""


@dataclass(frozen=True)
class Pin:
    """A lane's newest record (``position``), or the unsigned records (``position`` is their count)."""

    position: int
    hash: str
    last_id: int | None

    @property
    def count(self) -> int:
        return self.position

    def as_json(self) -> dict[str, Any]:
        return {"position": self.position, "hash": self.hash, "last_id": self.last_id}


@dataclass(frozen=True)
class Checkpoint:
    name: str
    taken_at: str
    key_id: str
    records: int
    legacy: Pin
    lanes: dict[int, Pin]

    def payload(self) -> bytes:
        body = {
            "format": FORMAT,
            "taken_at": self.taken_at,
            "key_id": self.key_id,
            "records": self.records,
            "legacy": self.legacy.as_json(),
            "lanes": {str(lane): pin.as_json() for lane, pin in sorted(self.lanes.items())},
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def signed(self, key: bytes) -> bytes:
        signature = ledger_keys.mac(key, SIGNED_PREFIX + self.payload())
        body = json.loads(self.payload())
        body["signature"] = signature
        return json.dumps(body, sort_keys=True, indent=1).encode()

    @classmethod
    def parse(cls, name: str, raw: bytes, keys: dict[str, bytes]) -> Checkpoint:
        """The checkpoint in ``raw``, its signature verified; :class:`CheckpointError` if not."""
        try:
            body = json.loads(raw)
            signature = body.pop("signature")

            def pin(value: dict[str, Any]) -> Pin:
                last_id = value["last_id"]
                return Pin(
                    int(value["position"]),
                    str(value["hash"]),
                    None if last_id is None else int(last_id),
                )

            found = cls(
                name=name,
                taken_at=str(body["taken_at"]),
                key_id=str(body["key_id"]),
                records=int(body["records"]),
                legacy=pin(body["legacy"]),
                lanes={int(lane): pin(value) for lane, value in body["lanes"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise CheckpointError(f"The checkpoint {name} cannot be read ({error!r}).") from None
        key = keys.get(found.key_id)
        if key is None:
            raise CheckpointError(
                f"The checkpoint {name} is signed with key id {found.key_id!r}, which is not in "
                f"{ledger_keys.SETTING}."
            )
        expected = ledger_keys.mac(key, SIGNED_PREFIX + found.payload())
        if not isinstance(signature, str) or not equal(expected, signature):
            raise CheckpointError(
                f"The checkpoint {name} does not match its signature: it was changed or forged."
            )
        return found


def equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def problem() -> str:
    """Why checkpoints cannot be stored, or ``""`` (check E036)."""
    alias = app_settings.LEDGER_CHECKPOINT_STORAGE
    try:
        storages[alias]
    except InvalidStorageError:
        return f"{SETTING} is {alias!r}, which is not in STORAGES."
    return ""


def in_working_directory() -> bool:
    """True when checkpoints would be written into the folder the server runs in (check W036)."""
    if problem():
        return False
    chosen = storages[app_settings.LEDGER_CHECKPOINT_STORAGE]
    return isinstance(chosen, FileSystemStorage) and not chosen.base_location  # nor MEDIA_ROOT


def storage() -> Storage:
    refused = problem()
    if refused:
        raise ImproperlyConfigured(refused)
    return storages[app_settings.LEDGER_CHECKPOINT_STORAGE]


def names() -> list[str]:
    """The stored checkpoints' names, oldest first."""
    try:
        _, files = storage().listdir(DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(f"{DIRECTORY}/{name}" for name in files if name.endswith(".json"))


def latest() -> Checkpoint | None:
    """The newest checkpoint, verified; None if there is none; :class:`CheckpointError` if it is bad."""
    found = names()
    if not found:
        return None
    with storage().open(found[-1], "rb") as file:
        raw = file.read()
    return Checkpoint.parse(found[-1], raw, ledger_keys.verifying_keys())
