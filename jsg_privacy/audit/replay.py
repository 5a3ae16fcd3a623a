"""Erasure replay: re-apply recorded erasures after the database is restored from a backup.

Every erasure leaves an :class:`~jsg_privacy.audit.models.ErasureRecord` (the account id and a keyed
hash of the e-mail address, never the address), written by :func:`erase_and_record` in the
erasure's own transaction, so no crash can leave an erasure without it. After a restore,
:func:`replay` finds the rows that came back and erases them again through
:func:`jsg_privacy.flows.erase.erase`, so each source's declared erasure (delete, anonymise, legal
hold) applies exactly as the first time.

Rows are found by account id through each source's subject path, and by e-mail address by scanning
the e-mail field of every source that declares ``subject_email`` and hashing each distinct address
(one pass per source for all records: O(distinct addresses) HMACs, batched).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jsg_privacy.audit import journal
from jsg_privacy.audit.models import ErasureRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.flows import erase
from jsg_privacy.registry import Subject, registry

BATCH = 2000


def erase_and_record(subject: Subject, case_reference: str = "") -> list[erase.Step]:
    """Erase ``subject`` and record it, in one transaction: never an erasure without its record.

    The record is written first, so it exists before the erasure can commit wherever records are
    kept. Call it inside the transaction that records the outcome (a case's completion), so that
    commits with them too.
    """
    with transaction.atomic():
        record_erasure(subject, case_reference=case_reference)
        return erase.erase(subject)


def record_erasure(subject: Subject, case_reference: str = "") -> ErasureRecord:
    """Remember that ``subject`` was erased, so a restore from backup can be followed by a replay.

    Erasing a subject goes through :func:`erase_and_record`, which writes this with the erasure.
    """
    user_id = subject.user_id
    record = ErasureRecord.objects.create(
        user_id=int(user_id) if user_id is not None else None,
        email_key=subjects.for_email(subject.email) if subject.email else "",
        case_reference=case_reference,
    )
    # Outside the database too, before the erasure commits: a restore does not bring it back.
    journal.append(record)
    return record


@dataclass
class Replayed:
    """What replaying one record found and did (or, in a dry run, would do)."""

    record: ErasureRecord
    subjects: list[Subject] = field(default_factory=list)
    steps: list[erase.Step] = field(default_factory=list)
    #: Why the account id was not used: it now belongs to someone with another address.
    skipped: str = ""

    @property
    def rows(self) -> int:
        return sum(step.rows for step in self.steps)


def records_since(since: date) -> Iterator[ErasureRecord]:
    start = timezone.make_aware(datetime.combine(since, time.min))
    return ErasureRecord.objects.filter(erased_at__gte=start).iterator()


def _emails_by_key(keys: set[str]) -> dict[str, set[str]]:
    """The raw addresses still in the database whose keyed hash is one of ``keys``."""
    found: dict[str, set[str]] = {}
    if not keys:
        return found
    paths = {
        (source.model, source.subject_email, source.email_digest_path())
        for source in registry.model_sources()
        if source.subject_email
    }
    for model, path, digest in paths:
        rows = model._default_manager.exclude(**{f"{path}__isnull": True}).exclude(**{path: ""})
        if digest:  # an encrypted address: its keyed hash is the e-mail key itself
            rows = rows.filter(**{f"{digest}__in": keys})
        values = rows.values_list(path, flat=True).distinct()
        for value in values.iterator(chunk_size=BATCH):
            for key in subjects.email_keys(str(value)):  # a record made before a key rotation
                if key in keys:
                    found.setdefault(key, set()).add(str(value).strip().lower())
    return found


def _account_id(record: ErasureRecord) -> tuple[Any, str]:
    """The account id to erase, unless the restored database gave it to someone else."""
    if record.user_id is None:
        return None, ""
    User = get_user_model()
    user = User._default_manager.filter(pk=record.user_id).first()
    email = str(getattr(user, User.get_email_field_name(), "") or "") if user else ""
    if (
        user is not None
        and record.email_key
        and email
        and record.email_key not in subjects.email_keys(email)
    ):
        return None, f"account {record.user_id} now belongs to another e-mail address"
    return record.user_id, ""


def subjects_of(record: ErasureRecord, emails: Iterable[str]) -> list[Subject]:
    """The subjects to erase again for ``record``: its account with each address still found."""
    user_id, _ = _account_id(record)
    found = [Subject(user_id=user_id, email=email) for email in sorted(emails)]
    if not found and user_id is not None:
        found.append(Subject(user_id=user_id))
    return found


def replay(
    since: date, *, dry_run: bool = False, records: Iterable[ErasureRecord] | None = None
) -> list[Replayed]:
    """Re-apply every erasure recorded since ``since`` (or ``records``); dry run: plan only.

    Idempotent: rows erased once no longer match, so a second replay changes nothing.
    """
    chosen = list(records if records is not None else records_since(since))
    emails = _emails_by_key({r.email_key for r in chosen if r.email_key})
    done = []
    for record in chosen:
        result = Replayed(record, skipped=_account_id(record)[1])
        result.subjects = subjects_of(record, emails.get(record.email_key, ()))
        for subject in result.subjects:
            steps = erase.plan(subject) if dry_run else erase.erase(subject)
            result.steps.extend(step for step in steps if step.rows)
        done.append(result)
    return done


def keep_records(records: Iterable[ErasureRecord]) -> int:
    """Save records read from a file that the restored database lacks; return how many."""
    added = 0
    for record in records:
        same = ErasureRecord.objects.filter(
            erased_at=record.erased_at,
            user_id=record.user_id,
            email_key=record.email_key,
            case_reference=record.case_reference,
        )
        if not same.exists():
            record.pk = None
            record.save(force_insert=True)
            added += 1
    return added
