"""Rectification (UK GDPR Art. 16): staff correct a subject's records through their request's case.

Only records the registry finds for the case's subject can be corrected, and only the fields the
subject sees in their export. The audit trail names the fields changed — never their old or new
values — and so does the case's outcome. The recipients that received a corrected field are told
(Art. 19) through their notifiers once the correction commits, and the request is completed only
when they all have been (:mod:`jsg_privacy.requests.recipients`); observers get
:data:`~jsg_privacy.signals.subject_rectified`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from jsg_privacy.flows import rectify as flow
from jsg_privacy.notifiers import Event
from jsg_privacy.registry import ModelSource
from jsg_privacy.requests import recipients
from jsg_privacy.requests.cases import CaseError, audit, subject_of
from jsg_privacy.requests.models import Case, Kind, Status
from jsg_privacy.signals import subject_rectified

CORRECTABLE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.FAILED)


def records_of(case: Case) -> Iterator[tuple[ModelSource, models.Model]]:
    """Every record of the case's subject that has correctable fields, source by source."""
    return flow.records(subject_of(case))


def _check(case: Case, instance: models.Model) -> ModelSource:
    if case.kind != Kind.RECTIFICATION:
        raise CaseError(_("%(ref)s is not a rectification request.") % {"ref": case.reference})
    if case.status not in CORRECTABLE_STATUSES:
        raise CaseError(
            _("%(ref)s is %(status)s: nothing can be corrected through it.")
            % {"ref": case.reference, "status": case.get_status_display()}
        )
    return flow.source_of(subject_of(case), instance)


def correct(
    case: Case, instance: models.Model, changes: Mapping[str, Any], *, actor: Any = None
) -> list[str]:
    """Save ``changes`` ({field name: new value}) to the subject's record; return the names changed.

    Raises :class:`ValidationError` for an invalid value (nothing is saved) and :class:`CaseError`
    for a field that cannot be corrected or a record that is not the subject's.
    """
    source = _check(case, instance)
    record = f"{source.key} #{instance.pk}"
    subject = subject_of(case)
    categories = source.personal_fields()
    with transaction.atomic():
        changed = flow.correct(source, instance, changes)
        if not changed:
            return []
        audit(
            case,
            "corrected",
            actor=actor,
            detail=f"{record}: corrected fields: {', '.join(changed)}",
        )
        outcome = dict(case.outcome or {})
        outcome.setdefault("corrected", []).append({"record": record, "fields": changed})
        case.outcome = outcome
        case.status = Status.IN_PROGRESS
        case.save(update_fields=["outcome", "status"])
        notices = recipients.plan(
            subject,
            Event.RECTIFIED,
            case=case,
            fields={name: categories.get(name, "") for name in changed},
        )
        fields = list(changed)
        transaction.on_commit(
            lambda: subject_rectified.send_robust(
                sender=Case, case=case, subject=subject, instance=instance, fields=fields
            )
        )
        recipients.send_later(notices)
    return changed


def finish(case: Case, *, actor: Any = None) -> None:
    """Complete a rectification request once every correction is made; the outcome lists them.

    It waits for recipients while one that received a corrected field has not been told yet.
    """
    if case.kind != Kind.RECTIFICATION or case.status not in CORRECTABLE_STATUSES:
        raise CaseError(_("%(ref)s cannot be completed now.") % {"ref": case.reference})
    recipients.settle(case, dict(case.outcome or {}), actor=actor)
