"""Carry out a verified case: export or erase, recording the result on the case.

A failure marks the case failed with its reason and leaves nothing half done (an erasure, its
replay record and the case's completion are one transaction; an export's file is stored only once
complete), so it can simply be retried.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone

from jsg_privacy.audit import replay
from jsg_privacy.conf import app_settings
from jsg_privacy.flows import erase, export
from jsg_privacy.notifiers import Event
from jsg_privacy.requests import cases, language, recipients
from jsg_privacy.requests.models import Case, ExportFile, Kind, Status
from jsg_privacy.requests.storage import export_storage
from jsg_privacy.signals import subject_erased

logger = logging.getLogger("jsg_privacy.requests")
EXPORT_PREFIX = "jsg_privacy/exports/"


def storage() -> Any:
    """The export files' storage (``JSG_PRIVACY_EXPORT_STORAGE``); refuses an unsafe one."""
    return export_storage()


def _ready(case_id: int, kinds: tuple[str, ...]) -> Case:
    case = Case.objects.get(pk=case_id)
    if case.kind not in kinds:
        raise cases.CaseError(f"{case.reference} is not a request of this kind.")
    if case.status not in (Status.OPEN, Status.IN_PROGRESS, Status.FAILED):
        raise cases.CaseError(f"{case.reference} is {case.get_status_display()}: nothing to do.")
    return case


def run_export(case_id: int, *, base_url: str = "") -> ExportFile | None:
    """Export a verified case; with ``base_url``, e-mail the requester the download link.

    The export and the e-mail are in the requester's language (:mod:`.language`)."""
    case = _ready(case_id, (Kind.ACCESS, Kind.PORTABILITY))
    with language.speaking(case):
        return _export(case, base_url)


def _export(case: Case, base_url: str) -> ExportFile | None:
    Case.objects.filter(pk=case.pk).update(status=Status.IN_PROGRESS)
    try:
        target = storage()  # refused before any work when it is not safe
        with tempfile.TemporaryDirectory(prefix="jsg-case-") as scratch:
            path = Path(scratch) / "export.zip"
            summary = export.export(
                cases.subject_of(case), path, address_withheld=cases.address_withheld(case)
            )
            name = f"{EXPORT_PREFIX}{case.reference}-{secrets.token_urlsafe(24)}.zip"
            with path.open("rb") as handle:
                stored = target.save(name, File(handle))
            size = path.stat().st_size
    except ImproperlyConfigured as exc:  # a setting: the message names it, never personal data
        logger.error("Export of case %s refused: %s", case.reference, exc)
        cases.fail(case, f"Export failed: {exc}")
        return None
    except Exception as exc:
        logger.exception("Export of case %s failed", case.reference)
        cases.fail(case, f"Export failed: {type(exc).__name__}")
        return None
    expires = timezone.now() + timedelta(hours=app_settings.EXPORT_LINK_MAX_AGE)
    file = ExportFile.objects.create(case=case, name=stored, size=size, expires_at=expires)
    for key, reason in summary.missing.items():  # delivered, but the requester is told what is not
        cases.audit(case, "export incomplete", detail=f"{_source_name(key)}: {reason}")
    cases.complete(
        case,
        {
            "rows": summary.rows,
            "missing": summary.missing,
            "consent_records": summary.consent_records,
            "disclosures": summary.disclosures,
            "search_record": summary.search_record,
        },
    )
    if base_url:
        from jsg_privacy.requests import downloads

        downloads.notify_ready(file, base_url)
    return file


def run_erasure(case_id: int, actor_id: int | None = None) -> list[erase.Step] | None:
    """Erase a verified case's subject and tell the recipients that received their data.

    The case is completed once every recipient has been told (Art. 19); until then it is
    "waiting for recipients", and a notice that fails is retried
    (:mod:`jsg_privacy.requests.recipients`). Observers get :data:`~jsg_privacy.signals.subject_erased`.
    """
    case = _ready(case_id, (Kind.ERASURE,))
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    subject = cases.subject_of(case)
    try:
        # One transaction: the erasure, the record that re-applies it after a restore
        # (privacy_replay_erasures), the notices to recipients and the case's state commit together
        # or not at all. A crash part-way leaves the case as it was, with nothing erased, to be run
        # again.
        with transaction.atomic():
            # Recipients first: they are found through the records erasure is about to clear (the
            # payment provider's customer ids on the subject's payments, the orders suppliers got).
            notices = recipients.prepare(subject, Event.ERASED)
            steps = replay.erase_and_record(subject, case_reference=case.reference)
            recipients.record(notices, case=case)
            files = list(_unexpired_exports(subject))
            outcome: dict[str, Any] = {
                "steps": [step.__dict__ | {"action": step.action} for step in steps],
                "recipients_told": [notice.recipient_name for notice in notices],
                "sessions_ended": sum(s.rows for s in steps if s.source == SESSIONS),
                "export_files_deleted": len(files),
            }
            recipients.settle(case, outcome, actor=actor)
    except Exception as exc:
        logger.exception("Erasure of case %s failed", case.reference)
        cases.fail(case, f"Erasure failed, nothing was changed: {type(exc).__name__}", actor=actor)
        return None
    delete_exports(files)  # after the commit: a file is gone only if the erasure happened
    subject_erased.send_robust(sender=Case, case=case, subject=subject, steps=steps)
    recipients.send_later(notices, now=True)  # committed above: send (or queue) them now
    return steps


SESSIONS = "sessions.Session"


def _unexpired_exports(subject: Any) -> models.QuerySet:
    """The subject's export files still stored: from their account's cases or their address's."""
    found = models.Q(pk__in=[])
    if subject.user_id is not None:
        found |= models.Q(case__user_id=subject.user_id)
    if subject.email:
        found |= models.Q(case__email_digest__matches=subject.email)
    return ExportFile.objects.filter(found, deleted_at__isnull=True)


def delete_exports(files: list[ExportFile]) -> int:
    """Delete export files from storage and mark them deleted; return how many were deleted.

    A file the storage cannot delete now is left marked as stored: the expiry purge
    (``privacy_purge_exports``) tries again.
    """
    now = timezone.now()
    count = 0
    for file in files:
        try:
            storage().delete(file.name)
        except OSError:
            logger.exception("Export file %s could not be deleted; the purge will retry", file.pk)
            continue
        ExportFile.objects.filter(pk=file.pk).update(deleted_at=now)
        count += 1
    return count


def purge_expired_exports(now: Any = None) -> int:
    """Delete export files whose link expired; return how many were deleted."""
    now = now or timezone.now()
    return delete_exports(
        list(ExportFile.objects.filter(deleted_at__isnull=True, expires_at__lte=now))
    )


def _source_name(key: str) -> str:
    from jsg_privacy.notice.content import source_name
    from jsg_privacy.registry import registry

    source = registry.sources.get(key)
    return str(source_name(source)) if source is not None else key
