"""The erasure journal: every erasure, appended to a file outside the main database.

An :class:`~jsg_privacy.audit.models.ErasureRecord` in the main database is restored with it: a
backup taken before an erasure holds neither the erasure nor its record, so after a real database
loss nothing would say the subject must be erased again. The journal is an append-only file of JSON
lines, one per erasure, kept where a restore of the database does not reach (another volume, backed
up on its own): ``JSG_PRIVACY_ERASURE_JOURNAL = "/var/lib/mysite/erasures.jsonl"``.

Each line holds what the record holds — the account id, a keyed hash of the e-mail address (never
the address), the case's reference and the time — and an HMAC of the line with the hash key, so an
edited line is refused at replay. A line is written and flushed to disk (``fsync``) inside the
erasure's transaction, before it commits: if the journal cannot be written, nothing is erased.
``privacy_replay_erasures`` reads it by default.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.dateparse import parse_datetime

from jsg_privacy.audit.models import ErasureRecord
from jsg_privacy.conf import app_settings
from jsg_privacy.crypto import keys

FIELDS = ("erased_at", "user_id", "email_key", "case_reference")


class JournalError(Exception):
    """The journal cannot be read or written; the message names the file, never a record."""


def path() -> Path | None:
    configured = app_settings.ERASURE_JOURNAL
    return Path(configured) if configured else None


def _mac(payload: dict[str, Any]) -> str:
    message = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(keys.hash_key(), b"erasure-journal:" + message, hashlib.sha256).hexdigest()


def _line(record: ErasureRecord) -> str:
    payload = {
        "erased_at": record.erased_at.isoformat(),
        "user_id": record.user_id,
        "email_key": record.email_key,
        "case_reference": record.case_reference,
    }
    return json.dumps({**payload, "mac": _mac(payload)}, sort_keys=True) + "\n"


def append(record: ErasureRecord) -> None:
    """Append ``record`` to the journal and flush it to disk; a no-op without a journal.

    Raises :class:`JournalError` when the file cannot be written, so the erasure's transaction
    rolls back: no erasure without its journal entry.
    """
    target = path()
    if target is None:
        return
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, _line(record).encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise JournalError(
            f"The erasure journal {target} cannot be written ({exc.strerror}): nothing was erased."
        ) from exc


@dataclass
class Read:
    """What a journal holds since a date: the records, and the lines refused (by line number)."""

    records: list[ErasureRecord]
    refused: list[int]


def read(source: Path, since: date) -> Read:
    """The journal's records erased on or after ``since`` (unsaved), and the lines whose HMAC does
    not match (edited) or that cannot be read."""
    records, refused = [], []
    if not source.exists() and source.parent.is_dir():
        return Read([], [])  # nothing erased since the journal was set up
    try:
        handle = source.open(encoding="utf-8")
    except OSError as exc:
        raise JournalError(f"Cannot read the erasure journal {source}: {exc.strerror}") from exc
    with handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                entry = json.loads(text)
                payload = {name: entry[name] for name in FIELDS}
                erased_at = parse_datetime(payload["erased_at"])
            except (ValueError, KeyError, TypeError):
                refused.append(number)
                continue
            if erased_at is None or not hmac.compare_digest(str(entry.get("mac")), _mac(payload)):
                refused.append(number)
                continue
            if erased_at.date() < since:
                continue
            records.append(
                ErasureRecord(
                    erased_at=erased_at,
                    user_id=payload["user_id"],
                    email_key=payload["email_key"] or "",
                    case_reference=payload["case_reference"] or "",
                )
            )
    return Read(records, refused)


def writable_problem() -> str:
    """Why the configured journal cannot be written, or ``""`` (for the system check)."""
    target = path()
    if target is None:
        return ""
    folder = target.parent
    if not folder.is_dir():
        return f"JSG_PRIVACY_ERASURE_JOURNAL: the folder {folder} does not exist."
    if target.exists() and not os.access(target, os.W_OK):
        return f"JSG_PRIVACY_ERASURE_JOURNAL: {target} is not writable."
    if not target.exists() and not os.access(folder, os.W_OK):
        return f"JSG_PRIVACY_ERASURE_JOURNAL: the folder {folder} is not writable."
    return ""
