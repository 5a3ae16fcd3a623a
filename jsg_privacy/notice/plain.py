"""The notice's plain-language layer: each purpose, recipient and retention rule once, with what a
person must give and what is up to them.

The Art. 30 record (:mod:`jsg_privacy.notice.record`) keeps the precise terms; these entries say the
same things in the words of the people the data is about.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsg_privacy.inventory import COOKIES, THIRD_PARTY
from jsg_privacy.notice import content
from jsg_privacy.registry import (
    Basis,
    Delete,
    LegalHold,
    Purpose,
    Recipient,
    RecipientKind,
    Registry,
    Source,
    StorageRoute,
)

#: What a person is told about each basis: must they give the data, may they refuse or object.
NEEDS = {
    Basis.CONTRACT: "required",
    Basis.LEGAL_OBLIGATION: "required",
    Basis.VITAL_INTERESTS: "required",
    Basis.PUBLIC_TASK: "required",
    Basis.LEGITIMATE_INTERESTS: "objectable",
    Basis.CONSENT: "optional",
}

NEED_TEXTS = {
    Basis.CONTRACT: gettext_lazy(
        "Required. We need this to give you what you ask for. Without it, we cannot do so."
    ),
    Basis.LEGAL_OBLIGATION: gettext_lazy("Required. The law says we must do this."),
    Basis.VITAL_INTERESTS: gettext_lazy("Required. We do this only to protect someone's life."),
    Basis.PUBLIC_TASK: gettext_lazy("Required. We do this for a task in the public interest."),
    Basis.LEGITIMATE_INTERESTS: gettext_lazy(
        "We do this because it is in our interest and fair to you. You can object at any time."
    ),
    Basis.CONSENT: gettext_lazy(
        "Optional. We do this only if you say yes, and you can change your mind at any time."
    ),
}

#: The uses grouped by what a person may do about them: a heading and one sentence per group.
USE_GROUPS = (
    (
        "required",
        gettext_lazy("What you must give us"),
        gettext_lazy(
            "We need this to give you what you ask for, or the law says we must do it. Without "
            "it, we cannot sell to you."
        ),
    ),
    (
        "objectable",
        gettext_lazy("What we do in our interest, which you can object to"),
        gettext_lazy(
            "We do this because it is in our interest and fair to you. You can object at any time."
        ),
    ),
    (
        "optional",
        gettext_lazy("What is up to you"),
        gettext_lazy(
            "We do this only if you say yes. You can change your mind at any time, free of charge."
        ),
    ),
)

#: Cookies without which the site would not work: no consent, and nothing to object to.
NECESSARY_TEXT = gettext_lazy("Required. The website cannot work without these.")

KIND_LABELS = {
    RecipientKind.PROCESSOR: gettext_lazy("works for us and only on our instructions"),
    RecipientKind.SUB_PROCESSOR: gettext_lazy("works for us and only on our instructions"),
    RecipientKind.CONTROLLER: gettext_lazy(
        "uses the data for its own purposes, under its own privacy policy"
    ),
    RecipientKind.GROUP_COMPANY: gettext_lazy("a company in our group"),
    RecipientKind.PAYMENT_PROVIDER: gettext_lazy("takes your payments"),
    RecipientKind.AUTHORITY: gettext_lazy("only when the law makes us share data"),
}

#: Countries by ISO 3166-1 code, for the recipients' entries; a code not listed is shown as it is.
COUNTRIES = {
    "GB": gettext_lazy("the United Kingdom"),
    "IE": gettext_lazy("Ireland"),
    "LU": gettext_lazy("Luxembourg"),
    "NL": gettext_lazy("the Netherlands"),
    "DE": gettext_lazy("Germany"),
    "FR": gettext_lazy("France"),
    "BE": gettext_lazy("Belgium"),
    "ES": gettext_lazy("Spain"),
    "IT": gettext_lazy("Italy"),
    "SE": gettext_lazy("Sweden"),
    "DK": gettext_lazy("Denmark"),
    "PL": gettext_lazy("Poland"),
    "US": gettext_lazy("the United States"),
    "CA": gettext_lazy("Canada"),
    "CN": gettext_lazy("China"),
    "IN": gettext_lazy("India"),
    "JP": gettext_lazy("Japan"),
    "AU": gettext_lazy("Australia"),
    "CH": gettext_lazy("Switzerland"),
}


def _basis(purpose: Purpose) -> Basis | None:
    return Basis(purpose.basis) if purpose.basis in set(Basis) else None


def _necessary(purpose: Purpose) -> bool:
    """Strictly necessary storage: a purpose of cookies only, on no consent and no exception."""
    return (
        tuple(purpose.categories) == ("cookies",)
        and purpose.route == StorageRoute.STRICTLY_NECESSARY
        and purpose.basis != Basis.CONSENT
    )


def need(purpose: Purpose) -> tuple[str, str]:
    """``("required" | "objectable" | "optional", what that means for the person)``."""
    if _necessary(purpose):
        return "required", str(NECESSARY_TEXT)
    basis = _basis(purpose)
    if basis is None:
        return "", ""
    return NEEDS[basis], str(NEED_TEXTS[basis])


def category_need(purposes: list[Purpose]) -> str:
    """``required`` if any purpose needs the data, ``optional`` if every one rests on consent,
    otherwise ``objectable``."""
    needs = {found for p in purposes if (found := need(p)[0])}
    if "required" in needs:
        return "required"
    if needs == {"optional"}:
        return "optional"
    return "objectable" if needs else ""


def use_entry(registry: Registry, purpose: Purpose) -> dict[str, Any]:
    """One purpose, once: what it is for, whether it is required, and the data it uses."""
    uses = [key for key in registry.categories_in_use if purpose in registry.purposes_for(key)]
    needed, text = need(purpose)
    return {
        **content.purpose_entry(purpose),
        "need": needed,
        "need_text": text,
        "categories": [str(registry.categories[key].label) for key in uses],
        "automated_decision": str(purpose.automated_decision),
    }


def recipient_detail(registry: Registry, recipient: Recipient) -> dict[str, Any]:
    """One recipient, once: by name (and each organisation it stands for), what it does, the
    data it receives and where it is."""
    kind = str(recipient.kind)
    return {
        **content.recipient_entry(recipient),
        # The organisations it stands for, unless that is the recipient itself.
        "members": [str(n) for n in recipient.names if str(n) != str(recipient.name)],
        "kind_label": str(KIND_LABELS[RecipientKind(kind)]) if kind in set(RecipientKind) else "",
        "country_name": str(COUNTRIES.get(recipient.country.upper(), recipient.country)),
        "categories": [
            str(registry.categories[key].label)
            for key in registry.categories_in_use
            if key in recipient.categories
        ],
        "purposes": [
            str(registry.purposes[key].label)
            for key in recipient.purposes
            if key in registry.purposes_in_use
        ],
    }


def kept(registry: Registry) -> list[dict[str, Any]]:
    """How long each source's data is kept, each source once; sources under the same rule share
    one entry. ``rule`` is the whole text; ``period`` and ``on_erasure`` its two parts."""
    rules: dict[tuple[str, str], list[str]] = {}
    # In the order of the categories, as "What we collect" lists them.
    ordered = dict.fromkeys(
        s for key in registry.categories_in_use for s in registry.sources_for(key)
    )
    for source in ordered:
        rules.setdefault(retention_parts(source), []).append(str(content.source_name(source)))
    entries = [
        {
            "sources": names,
            "rule": " ".join(part for part in (period, on_erasure) if part),
            "period": period,
            "on_erasure": on_erasure,
        }
        for (period, on_erasure), names in rules.items()
    ]
    if registry.cookies:
        cookies = _("Cookies: as shown for each one in the cookie table.")
        entries.append({"sources": [], "rule": cookies, "period": cookies, "on_erasure": ""})
    return entries


def kept_groups(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries grouped by what an erasure request does to them, so that each reason for
    keeping data after such a request is said once (records kept as proof of a request, say)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        groups.setdefault(entry["on_erasure"], []).append(entry)
    return [{"on_erasure": text, "entries": found} for text, found in groups.items()]


def retention_parts(source: Source) -> tuple[str, str]:
    """How long the notice says ``source``'s data is kept, and what an erasure request changes:
    said only where it does not delete the data at once (the rights say erasure deletes)."""
    rule, erasure = source.retention, source.erasure
    period = (rule.describe() if rule else _("No retention rule declared")).rstrip(".") + "."
    if (
        isinstance(erasure, LegalHold)
        and rule is not None
        and (erasure.anchor, erasure.period) == (rule.anchor, rule.period)
    ):
        if set(source.personal_fields()) <= set(erasure.keep):
            text = _(
                "Even if you ask us to erase your data, we keep these records this long: "
                "%(reason)s."
            )
        else:
            text = _(
                "If you ask us to erase your data, we delete the rest of these records at once "
                "and keep only what we must for this long: %(reason)s."
            )
        return period, text % {"reason": str(erasure.reason).rstrip(".")}
    if not isinstance(erasure, Delete):
        return period, _("If you ask us to erase your data: %(action)s.") % {
            "action": erasure.describe()
        }
    return period, ""


def summary(notice: dict[str, Any]) -> dict[str, Any]:
    """The facts the one-screen summary states, from the rest of the notice's content."""
    uses = notice["uses"]
    return {
        "use_groups": [
            {"need": need, "heading": str(heading), "text": str(text)}
            for need, heading, text in USE_GROUPS
            if any(u["need"] == need for u in uses)
        ],
        # What a person is asked to give: not the data others give us, nor cookies (their table
        # says which are needed).
        "required": [
            c["label"]
            for c in notice["categories"]
            if c["need"] == "required" and c["key"] not in (COOKIES, THIRD_PARTY)
        ],
        "optional": [u["label"] for u in uses if u["need"] == "optional"],
        "objectable": bool([u for u in uses if u["need"] == "objectable"]),
        "legal_obligation": any(u["basis"] == Basis.LEGAL_OBLIGATION for u in uses),
        # The firms named below (courts and authorities only when the law says so are not).
        "organisations": sum(
            len(r["names"]) or 1
            for r in notice["recipients"]
            if r["kind"] != RecipientKind.AUTHORITY
        ),
        "transfers": bool(notice["transfers"]),
        "automated": bool(notice["automated_decisions"]),
    }
