"""The vocabulary of the data inventory: categories, purposes, recipients and cookies.

These are plain, immutable values. A shop declares them in code (its ``privacy.py``), so the inventory is
reviewed with the code that stores the data and is the same in every process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from jsg_privacy.registry.rules import Retention

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Basis(StrEnum):
    """The lawful bases of UK/EU GDPR Art. 6(1)."""

    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTERESTS = "vital_interests"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTERESTS = "legitimate_interests"

    @property
    def label(self) -> str:
        return str(BASIS_LABELS[self])

    @property
    def article(self) -> str:
        return f"Art. 6(1)({'abcdef'[list(Basis).index(self)]})"


BASIS_LABELS = {
    Basis.CONSENT: _("your consent"),
    Basis.CONTRACT: _("performance of a contract with you, or steps you asked for before one"),
    Basis.LEGAL_OBLIGATION: _("compliance with a legal obligation"),
    Basis.VITAL_INTERESTS: _("protecting your vital interests or those of another person"),
    Basis.PUBLIC_TASK: _("a task in the public interest"),
    Basis.LEGITIMATE_INTERESTS: _("our legitimate interests"),
}


class StorageRoute(StrEnum):
    """Why a cookie group may store or read on a visitor's device (PECR reg. 6 and Sch. A1, as
    amended by the Data (Use and Access) Act 2025)."""

    CONSENT = "consent"
    STRICTLY_NECESSARY = "strictly_necessary"
    #: Sch. A1: first-party, aggregate statistics of how the service is used; the visitor may object.
    STATISTICAL = "statistical"
    #: Sch. A1: remembering how the site looks or works for the visitor (layout, language).
    APPEARANCE = "appearance"

    @property
    def label(self) -> str:
        return str(ROUTE_LABELS[self])

    @property
    def is_exception(self) -> bool:
        return self in (StorageRoute.STATISTICAL, StorageRoute.APPEARANCE)


ROUTE_LABELS = {
    StorageRoute.CONSENT: _("your consent"),
    StorageRoute.STRICTLY_NECESSARY: _("strictly necessary"),
    StorageRoute.STATISTICAL: _("statistical exception (PECR Sch. A1): on unless you object"),
    StorageRoute.APPEARANCE: _("appearance exception (PECR Sch. A1): on unless you object"),
}


class Storage(StrEnum):
    """Where a declared item lives on the visitor's device (the ICO's 2026 guidance covers them
    all, not only cookies)."""

    COOKIE = "cookie"
    LOCAL_STORAGE = "local_storage"
    SESSION_STORAGE = "session_storage"
    PIXEL = "pixel"

    @property
    def label(self) -> str:
        return str(STORAGE_LABELS[self])


STORAGE_LABELS = {
    Storage.COOKIE: _("cookie"),
    Storage.LOCAL_STORAGE: _("local storage"),
    Storage.SESSION_STORAGE: _("session storage"),
    Storage.PIXEL: _("pixel"),
}


class Origin(StrEnum):
    """Where personal data came from (GDPR Art. 14, seed 000 §1.2 and §1.5)."""

    SUBJECT = "subject"
    EMPLOYER = "employer"
    AGENT = "agent"
    THIRD_PARTY = "third_party"
    GROUP_COMPANY = "group_company"
    AUTOMATIC = "automatic"

    @property
    def label(self) -> str:
        return str(ORIGIN_LABELS[self])


ORIGIN_LABELS = {
    Origin.SUBJECT: _("you"),
    Origin.EMPLOYER: _("your employer"),
    Origin.AGENT: _("an agent acting for you"),
    Origin.THIRD_PARTY: _("third-party services"),
    Origin.GROUP_COMPANY: _("our group companies and channel partners"),
    Origin.AUTOMATIC: _("collected automatically when you use our services"),
}


class RecipientKind(StrEnum):
    PROCESSOR = "processor"
    SUB_PROCESSOR = "sub_processor"
    CONTROLLER = "controller"
    GROUP_COMPANY = "group_company"
    PAYMENT_PROVIDER = "payment_provider"
    AUTHORITY = "authority"


class Safeguard(StrEnum):
    """How a transfer out of the UK is protected (UK GDPR Chapter V)."""

    NONE = "none"
    ADEQUACY = "adequacy"
    SCCS = "sccs"
    IDTA = "idta"
    DPF = "dpf"
    DEROGATION = "derogation"

    @property
    def label(self) -> str:
        return str(SAFEGUARD_LABELS[self])


SAFEGUARD_LABELS = {
    Safeguard.NONE: _("no transfer safeguard"),
    Safeguard.ADEQUACY: _("UK adequacy regulations"),
    Safeguard.SCCS: _("standard contractual clauses with the UK Addendum"),
    Safeguard.IDTA: _("the UK International Data Transfer Agreement"),
    Safeguard.DPF: _("the UK Extension to the EU-US Data Privacy Framework"),
    Safeguard.DEROGATION: _("an Art. 49 derogation"),
}

#: Countries whose transfers need no further safeguard: the UK and the EEA (ISO 3166-1 alpha-2).
UK_AND_EEA = frozenset(
    [
        "GB",
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)


@dataclass(frozen=True)
class Category:
    """A kind of personal data, e.g. account data or correspondence data."""

    key: str
    label: StrOrPromise
    description: StrOrPromise = ""
    #: True for the special categories of Art. 9 / criminal offence data of Art. 10.
    special: bool = False


@dataclass(frozen=True)
class Purpose:
    """Why personal data is processed, with its Art. 6(1) basis and the categories it uses."""

    key: str
    label: StrOrPromise
    basis: Basis | str
    categories: tuple[str, ...]
    description: StrOrPromise = ""
    #: Required when the basis is legitimate interests: the interest and why it does not override yours.
    balancing_note: StrOrPromise = ""
    #: The notice's section of the policy this purpose makes true (e.g. "seed 000 §2.2").
    reference: str = ""
    #: For a purpose with cookies or other device storage: its legal route. ``None``: consent for a
    #: consent-based purpose, strictly necessary otherwise. A Sch. A1 exception
    #: (``StorageRoute.STATISTICAL``, ``APPEARANCE``) puts its group on without a prompt for
    #: visitors in ``JSG_PRIVACY_EXCEPTION_COUNTRIES``, with a one-click objection; others are asked.
    storage_route: StorageRoute | str | None = None
    #: For a purpose with cookies: the name of its cookie group in the banner and at checkout, for
    #: what the cookies do ("Advertising cookies"), so that it is never mistaken for a marketing
    #: choice ("E-mails about offers"). Empty: the purpose's label.
    cookie_label: StrOrPromise = ""
    #: What the group's cookies do, shown under ``cookie_label``. Empty: the purpose's description.
    cookie_description: StrOrPromise = ""
    #: UK GDPR Art. 22: what this purpose decides about people by automated means alone, with
    #: legal or similarly significant effects, the logic involved and what it means for them.
    #: Empty (the default): no such decision; the notice says that no purpose makes one.
    automated_decision: StrOrPromise = ""

    @property
    def route(self) -> StorageRoute:
        if self.storage_route is not None:
            return StorageRoute(self.storage_route)
        if self.basis == Basis.CONSENT:
            return StorageRoute.CONSENT
        return StorageRoute.STRICTLY_NECESSARY


@dataclass(frozen=True)
class Recipient:
    """Someone who receives personal data from the shop."""

    key: str
    name: StrOrPromise
    kind: RecipientKind | str
    country: str
    categories: tuple[str, ...]
    purposes: tuple[str, ...] = ()
    safeguard: Safeguard | str = Safeguard.NONE
    #: Named fields received, as "app_label.Model.field" or free names for remote calls ("amount").
    fields: tuple[str, ...] = ()
    contract: StrOrPromise = ""
    description: StrOrPromise = ""
    #: Where Art. 19 notices go: the e-mail address the recipient gave for data-protection matters
    #: (``privacy@supplier.example``). The default notifier e-mails it when a subject whose data
    #: the recipient received is erased, corrected or restricted; without it, check W045 warns.
    contact: str = ""
    #: Dotted path of the class that tells this recipient (a
    #: :class:`jsg_privacy.notifiers.Notifier`); empty: ``JSG_PRIVACY_RECIPIENT_NOTIFIER``, which
    #: e-mails ``contact``. Stripe's built-in declaration names its API notifier.
    notifier: str = ""
    #: The organisations this recipient stands for, by name: each group company, each partner
    #: (``("JSG Group Holdings Ltd", "JSG Installations Ltd")``). The notice names every one; a
    #: group company or a controller declared without names is check W088.
    names: tuple[StrOrPromise, ...] = ()

    @property
    def is_transfer(self) -> bool:
        """True when the recipient is outside the UK and the EEA."""
        return self.country.upper() not in UK_AND_EEA


@dataclass(frozen=True)
class Cookie:
    """A cookie or similar technology. ``name`` may end in ``*`` (``_ga_*``)."""

    name: str
    provider: StrOrPromise
    purpose: str
    lifetime: timedelta | None
    description: StrOrPromise = ""
    #: Set by or sent to someone other than the shop (an advertising network, an analytics vendor):
    #: such storage can never use a Sch. A1 exception (check ``jsg_privacy.E070``).
    third_party: bool = False
    #: A cookie (the default), a ``localStorage`` or ``sessionStorage`` key (removed by the banner's
    #: script when its group is refused), or a pixel (a request its tag makes).
    storage: Storage | str = "cookie"

    @property
    def is_cookie(self) -> bool:
        return Storage(self.storage) == Storage.COOKIE

    @property
    def is_session(self) -> bool:
        return self.lifetime is None


@dataclass(frozen=True)
class Client:
    """In processor mode: a controller we process data for, and its instructions."""

    name: StrOrPromise
    instructions: StrOrPromise = ""
    #: Retention in days per category key, overriding the sources' own rules for this client's data.
    retention: dict[str, Retention] = field(default_factory=dict)
