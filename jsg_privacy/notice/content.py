"""Build the privacy notice's content from the registry and the shop's settings.

The content is plain JSON-able data with no dates in it, so its hash changes exactly when what the
notice says changes. The HTML page, the JSON endpoint and the stored versions all use it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from jsg_privacy import features
from jsg_privacy.conf import app_settings
from jsg_privacy.notice.rights import COMPLAINTS, RESPONSE_TIME, RIGHTS
from jsg_privacy.registry import (
    Basis,
    Cookie,
    ModelSource,
    Purpose,
    Recipient,
    Registry,
    Safeguard,
    Source,
    Storage,
    StorageRoute,
)
from jsg_privacy.registry.clients import parse_clients
from jsg_privacy.registry.declarations import Client
from jsg_privacy.registry.paths import PathError, resolve_field


def build(registry: Registry) -> dict[str, Any]:
    """The notice as data, in the active language."""
    from jsg_privacy.notice.plain import kept, kept_groups, recipient_detail, summary, use_entry

    notice: dict[str, Any] = {
        "language": get_language() or "en",
        "role": app_settings.ROLE,
        "controller": controller(),
        "supervisory_authority": {k: str(v) for k, v in app_settings.SUPERVISORY_AUTHORITY.items()},
        "clients": [client_entry(client) for client in parse_clients(app_settings.CLIENTS)[0]],
        "categories": [category_entry(registry, key) for key in registry.categories_in_use],
        "uses": [use_entry(registry, registry.purposes[key]) for key in registry.purposes_in_use],
        "recipients": [
            recipient_detail(registry, r)
            for r in registry.recipients.values()
            if set(r.categories) & set(registry.categories_in_use)
        ],
        "kept": kept(registry),
        "automated_decisions": [
            {"purpose": str(p.label), "decision": str(p.automated_decision)}
            for key in registry.purposes_in_use
            if (p := registry.purposes[key]).automated_decision
        ],
        "transfers": [recipient_entry(r) for r in registry.recipients.values() if r.is_transfer],
        "cookies": [cookie_entry(registry, cookie) for cookie in registry.cookies.values()],
        "cookie_exceptions": cookie_exceptions(registry),
        "security": security(registry),
        "rights": [
            {"key": key, "label": str(label), "description": str(text)}
            for key, label, text in RIGHTS
        ],
        "response_time": str(RESPONSE_TIME),
        "complaints": complaints(),
    }
    notice["summary"] = summary(notice)
    notice["kept_groups"] = kept_groups(notice["kept"])
    return notice


def complaints() -> dict[str, str]:
    """How to complain to the shop first: the complaint form if the project has it, and the
    controller's address."""
    try:
        form_url = reverse("jsg_privacy:requests:complain")
    except NoReverseMatch:
        form_url = ""
    return {
        "text": str(COMPLAINTS),
        "form_url": form_url,
        "email": str(app_settings.CONTROLLER.get("email", "")),
    }


def digest(content: dict[str, Any]) -> str:
    """A stable SHA-256 of the content: the version id the consent ledger cites."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def controller() -> dict[str, Any]:
    facts = dict(app_settings.CONTROLLER)
    manager = facts.get("privacy_manager") or {}
    if isinstance(manager, str):
        manager = {"name": manager}
    return {
        "name": str(facts.get("name", "")),
        "address": str(facts.get("address", "")),
        "email": str(facts.get("email", "")),
        "phone": str(facts.get("phone", "")),
        "website": str(facts.get("website", "")),
        "ico_registration": str(facts.get("ico_registration", "")),
        "privacy_manager": {k: str(v) for k, v in manager.items()},
    }


def client_entry(client: Client) -> dict[str, Any]:
    return {
        "name": client.name,
        "instructions": client.instructions,
        "retention": {key: rule.describe() for key, rule in client.retention.items()},
    }


def category_entry(registry: Registry, key: str) -> dict[str, Any]:
    category = registry.categories[key]
    sources = registry.sources_for(key)
    origins: list[str] = []
    for source in sources:
        for origin in source.origins:
            if origin.label not in origins:
                origins.append(origin.label)
    purposes = registry.purposes_for(key)
    return {
        "key": key,
        "label": str(category.label),
        "description": str(category.description),
        # Whether a person must give it: "required" (a contract or the law needs it), "optional"
        # (consent only), or "objectable" (our legitimate interests: they may object).
        "need": _need(purposes),
        "collected": [
            {"source": str(source_name(s)), "fields": field_labels(s, key)}
            for s in sources
            if field_labels(s, key)
        ],
        "origins": origins,
        "purposes": [purpose_entry(p) for p in purposes],
        "recipients": [recipient_entry(r) for r in registry.recipients_for(key)],
        "retention": [{"source": str(source_name(s)), "rule": retention_text(s)} for s in sources]
        or (
            [{"source": "", "rule": _("As shown for each cookie in the cookie table.")}]
            if key == "cookies"
            else []
        ),
    }


def _need(purposes: list[Purpose]) -> str:
    from jsg_privacy.notice.plain import category_need

    return category_need(purposes)


def source_name(source: Source) -> str:
    return str(source.name if isinstance(source, ModelSource) else (source.label or source.key))


def field_labels(source: Source, category: str) -> list[str]:
    """The fields of ``category`` as the notice names them: the source's ``notice_labels``, else
    the model fields' verbose names; a field labelled ``""`` is left out."""
    labels = (plain_label(source, name) for name in source.fields_in(category))
    return list(dict.fromkeys(label for label in labels if label))


def plain_label(source: Source, name: str) -> str:
    if name in source.notice_labels:
        return str(source.notice_labels[name])
    return field_label(source, name)


def field_label(source: Source, name: str) -> str:
    label = name.replace("__", " ").replace("_", " ")
    if isinstance(source, ModelSource):
        with contextlib.suppress(PathError):  # reported by check jsg_privacy.E004
            field = resolve_field(source.model, name)
            if isinstance(field, models.Field):  # a relation from another model is E004 too
                label = str(field.verbose_name)
    return label


def security(registry: Registry) -> dict[str, Any]:
    """How the data is kept safe: the declared measures, and which fields are encrypted at rest."""
    return {
        "measures": security_measures(),
        "encrypted": [
            {
                "source": source_name(s),
                "fields": list(
                    dict.fromkeys(
                        label for n in s.encrypted_fields() if (label := plain_label(s, n))
                    )
                ),
            }
            for s in registry.sources.values()
            if s.encrypted_fields()
        ],
    }


def security_measures() -> list[str]:
    """``JSG_PRIVACY_SECURITY_MEASURES``, and what a feature the shop switched on makes true."""
    measures = [str(measure) for measure in app_settings.SECURITY_MEASURES]
    if features.payments():
        card = _(
            "Payment card details never reach our systems: payment providers receive them directly."
        )
        if card not in measures:
            measures.append(card)
    return measures


def encrypted_entries(sources: Iterable[Source]) -> list[dict[str, Any]]:
    """Per source with encrypted fields: its name and those fields as people read them."""
    return [
        {
            "source": source_name(s),
            "fields": list(dict.fromkeys(field_label(s, n) for n in s.encrypted_fields())),
        }
        for s in sources
        if s.encrypted_fields()
    ]


def retention_text(source: Source) -> str:
    parts = [source.retention.describe()] if source.retention else [_("No retention rule declared")]
    parts.append(_("On erasure: %(action)s.") % {"action": source.erasure.describe()})
    return ". ".join(part.rstrip(".") for part in parts) + "."


def purpose_entry(purpose: Purpose) -> dict[str, Any]:
    basis = Basis(purpose.basis) if purpose.basis in set(Basis) else None
    return {
        "key": purpose.key,
        "label": str(purpose.label),
        "description": str(purpose.description),
        "basis": str(purpose.basis),
        "basis_label": basis.label if basis else "",
        "article": basis.article if basis else "",
        "balancing_note": str(purpose.balancing_note),
    }


def recipient_entry(recipient: Recipient) -> dict[str, Any]:
    safeguard = Safeguard(recipient.safeguard) if recipient.safeguard in set(Safeguard) else None
    return {
        "key": recipient.key,
        "name": str(recipient.name),
        "names": [str(name) for name in recipient.names],
        "kind": str(recipient.kind),
        "country": recipient.country,
        "transfer": recipient.is_transfer,
        "safeguard": str(recipient.safeguard) if recipient.is_transfer else "",
        "safeguard_label": safeguard.label if safeguard and recipient.is_transfer else "",
        "description": str(recipient.description),
    }


def cookie_exceptions(registry: Registry) -> list[dict[str, str]]:
    """Cookie groups on without consent under a Sch. A1 exception, which visitors may object to."""
    return [
        {
            "key": p.key,
            "label": str(p.cookie_label or p.label),
            "route": p.route.value,
            "route_label": p.route.label,
        }
        for p in registry.purposes.values()
        if p.route.is_exception and registry.cookies_for(p.key)
    ]


def cookie_entry(registry: Registry, cookie: Cookie) -> dict[str, Any]:
    purpose = registry.purposes.get(cookie.purpose)
    route = purpose.route if purpose else StorageRoute.STRICTLY_NECESSARY
    return {
        "name": cookie.name,
        "provider": str(cookie.provider),
        "purpose": cookie.purpose,
        "purpose_label": str(purpose.label) if purpose else cookie.purpose,
        "route": route.value,
        "route_label": route.label,
        "storage": str(cookie.storage),
        "storage_label": Storage(cookie.storage).label,
        "lifetime": lifetime_text(cookie.lifetime)
        if cookie.lifetime is not None or Storage(cookie.storage) != Storage.LOCAL_STORAGE
        else _("until you object or clear your browser's storage"),
        "description": str(cookie.description),
    }


def lifetime_text(lifetime: timedelta | None) -> str:
    if lifetime is None:
        return _("until you close your browser")
    days = lifetime.days
    if days >= 365 and days % 365 == 0:
        return ngettext("%(n)d year", "%(n)d years", days // 365) % {"n": days // 365}
    if days >= 7 and days % 7 == 0:
        return ngettext("%(n)d week", "%(n)d weeks", days // 7) % {"n": days // 7}
    if days >= 1:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    minutes = max(1, int(lifetime.total_seconds() // 60))
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
