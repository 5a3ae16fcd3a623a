"""The record of processing activities (UK GDPR Art. 30), generated from the registry.

One activity per purpose in use: its basis, the categories of data subjects and of personal data, the
sources holding them, recipients, transfers and their safeguards, retention, and security measures.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.template.loader import render_to_string

from jsg_privacy.conf import app_settings
from jsg_privacy.crypto.fields import encrypted_fields
from jsg_privacy.notice import content
from jsg_privacy.registry import Basis, Recipient, Registry
from jsg_privacy.registry.clients import parse_clients


@dataclass
class Activity:
    purpose: str
    description: str
    basis: str
    balancing_note: str
    data_subjects: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    transfers: list[str] = field(default_factory=list)
    retention: list[str] = field(default_factory=list)
    security: list[str] = field(default_factory=list)


COLUMNS = tuple(Activity.__dataclass_fields__)


def build(registry: Registry) -> dict[str, Any]:
    """The whole record as JSON-able data."""
    return {
        "controller": content.controller(),
        "role": app_settings.ROLE,
        "clients": [content.client_entry(c) for c in parse_clients(app_settings.CLIENTS)[0]],
        "activities": [asdict(activity(registry, key)) for key in registry.purposes_in_use],
    }


def activity(registry: Registry, purpose_key: str) -> Activity:
    purpose = registry.purposes[purpose_key]
    # Per category in use, the sources whose data in it serves the purpose: a source naming the
    # purpose serves it with all its data, any other with the categories linked to the purpose.
    by_category = {
        key: [
            s
            for s in registry.sources_for(key)
            if purpose_key in registry.purposes_of(s) and (s.purposes or key in purpose.categories)
        ]
        for key in registry.categories_in_use
    }
    categories = [
        key
        for key, serving in by_category.items()
        if serving or (key == "cookies" and registry.cookies_for(purpose_key))
    ]
    sources = list(dict.fromkeys(s for key in categories for s in by_category[key]))
    recipients = [
        r
        for r in registry.recipients.values()
        if set(r.categories) & set(categories) and (not r.purposes or purpose_key in r.purposes)
    ]
    basis = Basis(purpose.basis) if purpose.basis in set(Basis) else None
    return Activity(
        purpose=str(purpose.label),
        description=str(purpose.description),
        basis=f"{basis.label} ({basis.article})" if basis else str(purpose.basis),
        balancing_note=str(purpose.balancing_note),
        data_subjects=list(dict.fromkeys(str(s.data_subjects) for s in sources))
        or (["website visitors"] if "cookies" in categories else []),
        categories=[str(registry.categories[key].label) for key in categories],
        sources=[str(content.source_name(s)) for s in sources]
        + [
            f"cookie {c.name} (storage: {purpose.route.label})"
            for c in registry.cookies_for(purpose_key)
        ],
        recipients=[
            f"{r.name} ({r.kind}, {r.country})"
            + (f": {'; '.join(members)}" if (members := _members(r)) else "")
            for r in recipients
        ],
        transfers=[
            f"{r.name} ({r.country}): {content.recipient_entry(r)['safeguard_label']}"
            for r in recipients
            if r.is_transfer
        ],
        retention=[f"{content.source_name(s)}: {content.retention_text(s)}" for s in sources],
        security=[*content.security_measures(), *_encryption(sources)],
    )


def _members(recipient: Recipient) -> list[str]:
    """The organisations a recipient stands for, by name (unless that is the recipient itself)."""
    return [str(n) for n in recipient.names if str(n) != str(recipient.name)]


def _encryption(sources: list[Any]) -> list[str]:
    lines = [
        f"{entry['source']}: encrypted at rest: {', '.join(entry['fields'])}"
        for entry in content.encrypted_entries(sources)
    ]
    if any(encrypted_fields(s.model) for s in sources if hasattr(s, "model")):
        lines.insert(0, FERNET)
    return lines


FERNET = (
    "Fields listed below as encrypted at rest are stored encrypted with Fernet (AES-128-CBC and "
    "HMAC-SHA256, a fresh IV per value) under keys held outside the database, rotated with "
    "privacy_rotate_keys; exact e-mail lookups use keyed hashes (HMAC-SHA256)."
)


def to_json(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def to_csv(record: dict[str, Any]) -> str:
    """One row per activity; list cells are joined with "; "."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in record["activities"]:
        writer.writerow(
            ["; ".join(v) if isinstance(v, list) else v for v in (row[c] for c in COLUMNS)]
        )
    return out.getvalue()


def to_html(record: dict[str, Any]) -> str:
    return render_to_string("jsg_privacy/record/record.html", {"record": record})


RENDERERS = {"json": to_json, "csv": to_csv, "html": to_html}
