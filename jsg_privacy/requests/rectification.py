"""Rectification (UK GDPR Art. 16): staff correct a subject's records through their request's case.

Only records the registry finds for the case's subject can be corrected, and only the fields the
subject sees in their export. The audit trail names the fields changed — never their old or new
values — and so does the case's outcome. Recipients are told through :data:`rectification_hooks`
(Art. 19), as erasure tells them through ``service.erasure_hooks``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from jsg_privacy.registry import ModelSource, registry
from jsg_privacy.requests.cases import CaseError, audit, complete, subject_of
from jsg_privacy.requests.models import Case, Kind, Status

#: Called after a correction commits, with (case, instance, field names): e.g. update the customer
#: at the payment provider. Each returns a short description for the case's outcome.
rectification_hooks: list[Any] = []

NEVER_CORRECTED = frozenset({"password"})
CORRECTABLE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.FAILED)


def correctable_fields(source: ModelSource) -> list[models.Field]:
    """The model fields of ``source`` staff may correct: exported, editable, not a relation."""
    names = [n for n in source.export_fields() if "__" not in n and n not in NEVER_CORRECTED]
    fields = []
    for name in names:
        try:
            field = source.model._meta.get_field(name)
        except FieldDoesNotExist:  # a path or a typo: the declaration checks report it
            continue
        if field.concrete and field.editable and not field.is_relation and not field.primary_key:
            fields.append(field)
    return fields


def records_of(case: Case) -> Iterator[tuple[ModelSource, models.Model]]:
    """Every record of the case's subject that has correctable fields, source by source."""
    subject = subject_of(case)
    for source in registry.model_sources():
        if correctable_fields(source):
            for row in source.rows_for(subject).order_by("pk"):
                yield source, row


def _check(case: Case, instance: models.Model) -> ModelSource:
    if case.kind != Kind.RECTIFICATION:
        raise CaseError(_("%(ref)s is not a rectification request.") % {"ref": case.reference})
    if case.status not in CORRECTABLE_STATUSES:
        raise CaseError(
            _("%(ref)s is %(status)s: nothing can be corrected through it.")
            % {"ref": case.reference, "status": case.get_status_display()}
        )
    source = registry.source_for(type(instance))
    if source is None or not source.rows_for(subject_of(case)).filter(pk=instance.pk).exists():
        raise CaseError(_("That record is not the requester's."))
    return source


def correct(
    case: Case, instance: models.Model, changes: Mapping[str, Any], *, actor: Any = None
) -> list[str]:
    """Save ``changes`` ({field name: new value}) to the subject's record; return the names changed.

    Raises :class:`ValidationError` for an invalid value (nothing is saved) and :class:`CaseError`
    for a field that cannot be corrected or a record that is not the subject's.
    """
    source = _check(case, instance)
    allowed = {field.name: field for field in correctable_fields(source)}
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise CaseError(
            _("These fields cannot be corrected: %(names)s.") % {"names": ", ".join(unknown)}
        )
    changed = [
        name for name, value in changes.items() if getattr(instance, allowed[name].attname) != value
    ]
    if not changed:
        return []
    for name in changed:
        setattr(instance, allowed[name].attname, changes[name])
    try:
        instance.full_clean(
            exclude=[f.name for f in type(instance)._meta.fields if f.name not in changed]
        )
    except ValidationError:
        instance.refresh_from_db(fields=[allowed[name].attname for name in changed])
        raise
    record = f"{source.key} #{instance.pk}"
    with transaction.atomic():
        instance.save(update_fields=changed)
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
        transaction.on_commit(lambda: _notify_recipients(case, instance, changed))
    return changed


def _notify_recipients(case: Case, instance: models.Model, changed: list[str]) -> None:
    if not rectification_hooks:
        return
    notices = []
    for hook in rectification_hooks:
        try:
            notices.append(str(hook(case, instance, list(changed))))
        except Exception as exc:
            notices.append(f"{getattr(hook, '__name__', hook)} failed: {type(exc).__name__}")
    outcome = dict(case.outcome or {})
    outcome.setdefault("recipients_notified", []).extend(notices)
    case.outcome = outcome
    case.save(update_fields=["outcome"])
    audit(case, "recipients told of the correction", detail="; ".join(notices))


def finish(case: Case, *, actor: Any = None) -> None:
    """Complete a rectification request once every correction is made; the outcome lists them."""
    if case.kind != Kind.RECTIFICATION or case.status not in CORRECTABLE_STATUSES:
        raise CaseError(_("%(ref)s cannot be completed now.") % {"ref": case.reference})
    complete(case, dict(case.outcome or {}), actor=actor)
