"""A subject's consent history (from the ledger) and disclosures to recipients, for exports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps

from jsg_privacy.consent.models import Action, ConsentRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.flows.subject_data import plain
from jsg_privacy.registry import Subject

LEDGER_FIELDS = (
    "created_at",
    "purpose",
    "action",
    "channel",
    "medium",
    "version",
    "notice_version",
)


def keys(subject: Subject) -> list[str]:
    """Every key the subject's records may carry: user, e-mail, and visitors linked at log-in."""
    found = subjects.keys_for(subject)
    linked = ConsentRecord.objects.filter(subject_key__in=found, action=Action.LINKED).values_list(
        "linked_key", flat=True
    )
    return [*found, *linked]


def consent_records(
    subject: Subject, subject_keys: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    subject_keys = keys(subject) if subject_keys is None else subject_keys
    rows = ConsentRecord.objects.filter(subject_key__in=subject_keys).order_by("id")
    for row in rows.values(*LEDGER_FIELDS).iterator(chunk_size=2000):
        yield {name: plain(value) for name, value in row.items()}


def disclosures(
    subject: Subject, subject_keys: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """What was sent to which recipient, when and why: field names only, never values."""
    try:
        model = apps.get_model("jsg_privacy", "Disclosure")
    except LookupError:
        return
    subject_keys = keys(subject) if subject_keys is None else subject_keys
    rows = model._default_manager.filter(subject_key__in=subject_keys).order_by("pk")
    names = [f.name for f in model._meta.concrete_fields if f.name not in ("id", "subject_key")]
    for row in rows.values(*names).iterator(chunk_size=2000):
        yield {name: plain(value) for name, value in row.items()}
