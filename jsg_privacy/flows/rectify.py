"""Rectification (UK GDPR Art. 16): correct a subject's records, field by field.

Only records the registry finds for the subject can be corrected, and only the fields the subject
sees in their export (not relations, not the password). The requests layer
(:mod:`jsg_privacy.requests.rectification`) corrects through a request's case, with the audit
trail, and tells the recipients that received a corrected field (Art. 19).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from jsg_privacy.flows import Refused
from jsg_privacy.registry import ModelSource, Subject, registry

NEVER_CORRECTED = frozenset({"password"})


def correctable_fields(source: ModelSource) -> list[models.Field[Any, Any]]:
    """The model fields of ``source`` that may be corrected: exported, editable, not a relation."""
    names = [n for n in source.export_fields() if "__" not in n and n not in NEVER_CORRECTED]
    fields = []
    for name in names:
        try:
            field = source.model._meta.get_field(name)
        except FieldDoesNotExist:  # a path or a typo: the declaration checks report it
            continue
        if (
            isinstance(field, models.Field)
            and field.concrete
            and field.editable
            and not field.is_relation
            and not field.primary_key
        ):
            fields.append(field)
    return fields


def records(subject: Subject) -> Iterator[tuple[ModelSource, models.Model]]:
    """Every record of ``subject`` that has correctable fields, source by source."""
    for source in registry.model_sources():
        if correctable_fields(source):
            for row in source.rows_for(subject).order_by("pk"):
                yield source, row


def source_of(subject: Subject, instance: models.Model) -> ModelSource:
    """The declared source of ``instance``, refused unless the record is ``subject``'s."""
    source = registry.source_for(type(instance))
    if source is None or not source.rows_for(subject).filter(pk=instance.pk).exists():
        raise Refused(_("That record is not the requester's."))
    return source


def correct(source: ModelSource, instance: models.Model, changes: Mapping[str, Any]) -> list[str]:
    """Save ``changes`` ({field name: new value}) to ``instance``; return the names changed.

    Raises :class:`ValidationError` for an invalid value and :class:`~jsg_privacy.flows.Refused`
    for a field that cannot be corrected; either way nothing is saved and the instance keeps its
    stored values. Run it in the caller's transaction, with whatever records the correction.
    """
    allowed = {field.name: field for field in correctable_fields(source)}
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise Refused(
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
    instance.save(update_fields=changed)
    return changed
