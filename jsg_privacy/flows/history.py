"""A subject's consent history (from the ledger) and disclosures to recipients, for exports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from jsg_privacy.consent.models import Action, ConsentRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.flows import columns
from jsg_privacy.flows.columns import Column
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


def consent_columns() -> list[Column]:
    """How ``index.html`` shows the consent history: when, what for, the choice, where, and the
    version of the wording shown (a fingerprint, explained on the page)."""
    from jsg_privacy.consent.models import Channel
    from jsg_privacy.registry import registry

    purposes = {key: str(purpose.label) for key, purpose in registry.purposes.items()}
    return [
        Column("created_at", str(_("When")), kind=columns.DATETIME),
        Column("purpose", str(_("What for")), kind=columns.CHOICE, choices=purposes),
        Column("action", str(_("Your choice")), kind=columns.CHOICE, choices=_labels(Action)),
        Column("channel", str(_("Where")), kind=columns.CHOICE, choices=_labels(Channel)),
        Column("version", str(_("Wording you saw")), kind="hash"),
        Column("notice_version", str(_("Privacy notice version")), kind="hash"),
    ]


def disclosure_columns() -> list[Column]:
    """How ``index.html`` shows the disclosures: when, to whom, why, and which fields (names of
    fields only: the log never holds the values)."""
    from jsg_privacy.registry import registry

    recipients = {key: str(recipient.name) for key, recipient in registry.recipients.items()}
    purposes = {key: str(purpose.label) for key, purpose in registry.purposes.items()}
    return [
        Column("created_at", str(_("When")), kind=columns.DATETIME),
        Column("recipient", str(_("Sent to")), kind=columns.CHOICE, choices=recipients),
        Column("purpose", str(_("Why")), kind=columns.CHOICE, choices=purposes),
        Column("operation", str(_("What for"))),
        Column("field_names", str(_("Which details")), kind=columns.LIST),
    ]


def _labels(choices: Any) -> dict[str, str]:
    return {str(value): str(label)[:1].upper() + str(label)[1:] for value, label in choices.choices}
