"""Sources: where a subject's personal data lives, and how to find, export, erase and retain it.

A Django model is declared by subclassing :class:`ModelSource` in the app's ``privacy.py``, the way a
``ModelAdmin`` is written in ``admin.py``. Data held by another system (Saleor, a CRM) is declared by
subclassing :class:`RemoteSource` and implementing its two methods. A table of this database whose
rows are found by the subject's keyed hashes (no user or e-mail column) subclasses
:class:`jsg_privacy.registry.keyed.KeyedTableSource`.

What every flow asks of a source — the protocol, documented in docs/declaring-personal-data.md —
is on :class:`Source`: the declarations (``fields``, ``retention``, ``erasure``…) and the methods
:meth:`~Source.export_fields` (what an export shows), :meth:`~Source.count` (how many records a
subject has, for the erasure plan), :meth:`~Source.table` (the model whose rows hold the data, if
it is in this database); then ``export`` and ``erase`` (remote and keyed sources) or
``subject_filter`` and ``rows_for`` (model sources).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from django.conf import settings
from django.db import models

from jsg_privacy.registry.declarations import Origin
from jsg_privacy.registry.paths import PathError, resolve_field
from jsg_privacy.registry.rules import Delete, Erasure, Retention

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from jsg_privacy.registry.core import Registry


@dataclass(frozen=True)
class Money:
    """How a field holds an amount of money, so that exports show every amount in one unit.

    ``currency``: the ISO 4217 code of every value (``"GBP"``), or ``currency_field``: the field
    that holds each row's code. ``minor_units``: the field counts pence (cents), not pounds.
    ``label``: what to call the amount, when the field's verbose name says how it is stored.
    Exports show every amount in major units (pounds), with its currency.
    """

    currency: str = ""
    currency_field: str = ""
    minor_units: bool = False
    label: StrOrPromise = ""

    def __post_init__(self) -> None:
        if bool(self.currency) == bool(self.currency_field):
            raise ValueError("Money needs a currency or a currency_field (one of them).")


@dataclass(frozen=True)
class Subject:
    """The person a request is about: a user id, an e-mail address, or both."""

    user_id: Any = None
    email: str = ""

    def __post_init__(self) -> None:
        if self.user_id is None and not self.email:
            raise ValueError("A subject needs a user id or an e-mail address.")


class Source:
    """What every source declares. Subclass :class:`ModelSource` or :class:`RemoteSource`."""

    #: A human name for the notice and exports; defaults to the model's verbose name.
    label: ClassVar[StrOrPromise] = ""
    #: Personal fields by category key: ``{"account": ["email", "phone"], ...}``.
    fields: ClassVar[Mapping[str, Sequence[str]]] = {}
    #: Where the data came from. Seed 000 §1.2: you, your employer or an agent.
    origins: ClassVar[Sequence[Origin]] = (Origin.SUBJECT,)
    #: Whose data this is, in words: "customers", "enquirers", "people ordering for a customer".
    data_subjects: ClassVar[StrOrPromise] = "customers"
    #: How long rows are kept, and what happens at the end. Required.
    retention: ClassVar[Retention | None] = None
    #: What erasure does to the subject's rows: delete, anonymise, or keep under a legal hold.
    erasure: ClassVar[Erasure] = Delete()
    #: Fields encrypted at rest by other means than jsg_privacy's encrypted fields (which are found
    #: on the model without being listed). Shown in the Art. 30 record's security measures.
    encrypted: ClassVar[Sequence[str]] = ()
    #: Personal fields kept in clear on purpose, each with the reason: ``{"billing_country": "a
    #: country code identifies nobody on its own"}``. Check I001 lists the others stored in clear.
    in_clear: ClassVar[Mapping[str, str]] = {}
    #: How the privacy notice names fields whose own names are technical terms, in the words of
    #: the people the data is about: ``{"amount": _("amount paid"), "subject_key": _("a coded
    #: form of your e-mail address")}``. ``""`` leaves a field out of the notice's list (an
    #: internal reference that tells a reader nothing). The Art. 30 record and exports keep the
    #: fields' own names.
    notice_labels: ClassVar[Mapping[str, StrOrPromise]] = {}
    #: Open decisions, one line each (``manage.py privacy_inspect`` drafts them): each is reported
    #: by check E020 until the declaration is decided and the line removed.
    todo: ClassVar[Sequence[str]] = ()
    #: The purposes this data serves, by key. Empty (the default): every purpose linked to one of
    #: its categories. Name them when that link says too much (a staff access log serves security,
    #: not analytics) or too little (the marketing choices record the consent to testimonials).
    #: Keys not declared in the registry are skipped (an optional feature that is off).
    purposes: ClassVar[Sequence[str]] = ()
    #: The fields a subject's export shows, in order (remote and keyed sources; a model source
    #: names them in ``export``). Empty: every declared personal field.
    exported: ClassVar[Sequence[str]] = ()
    #: The exported fields that hold amounts of money: ``{"total": Money(currency="GBP")}``.
    #: Exports show them in major units (pounds) with their currency, in every file.
    money: ClassVar[Mapping[str, Money]] = {}

    key: str

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key}>"

    @property
    def name(self) -> StrOrPromise:
        return self.label or self.key

    def personal_fields(self) -> dict[str, str]:
        """Every declared personal field with its category key, in declaration order."""
        return {name: category for category, names in self.fields.items() for name in names}

    def encrypted_fields(self) -> tuple[str, ...]:
        """The fields encrypted at rest: those declared in ``encrypted``."""
        return tuple(self.encrypted)

    def categories(self) -> tuple[str, ...]:
        return tuple(category for category, names in self.fields.items() if names)

    def fields_in(self, category: str) -> tuple[str, ...]:
        return tuple(self.fields.get(category, ()))

    def export_fields(self) -> tuple[str, ...]:
        """The fields a subject's export shows, in order: ``exported``, or every personal field."""
        return tuple(self.exported) or tuple(self.personal_fields())

    def table(self) -> type[models.Model] | None:
        """The model of this database whose rows hold the data; ``None`` for another system."""
        return None

    def count(self, subject: Subject) -> int | None:
        """How many records the subject has here, for the erasure plan; ``None`` if the system
        cannot say beforehand (the plan then shows what erasure does, without a number)."""
        return None


class ModelSource(Source):
    """Personal data held in the rows of one Django model."""

    #: Path from the model to the user (``"user"``, ``"order__user"``); ``"self"`` for the user model.
    subject: ClassVar[str] = ""
    #: Path from the model to an e-mail field, to find rows of guests and prospects.
    subject_email: ClassVar[str] = ""
    #: Personal-looking fields (by name or type) that hold no personal data in this model.
    not_personal: ClassVar[Sequence[str]] = ()
    #: A field whose value says where each row came from (e.g. ``"ordered_on_behalf"``).
    origin_field: ClassVar[str] = ""
    #: Fields included in the subject's export: ``"__all__"`` (every declared field) or a list.
    export: ClassVar[Sequence[str] | Literal["__all__"]] = "__all__"
    #: Fields about other people (an agent who ordered for the subject, a site contact): exported
    #: redacted, because an access request must not disclose someone else's data.
    redact: ClassVar[Sequence[str]] = ()

    model: type[models.Model]

    def __init__(self, model: type[models.Model], registry: Registry | None = None) -> None:
        super().__init__(registry)
        self.model = model
        self.key = model._meta.label

    @property
    def name(self) -> StrOrPromise:
        return self.label or str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def subject_path(self) -> str:
        if self.subject:
            return self.subject
        return "self" if self.model._meta.label == settings.AUTH_USER_MODEL else ""

    def encrypted_fields(self) -> tuple[str, ...]:
        """The model's encrypted fields (found on the model), then any declared in ``encrypted``."""
        from jsg_privacy.crypto.fields import encrypted_fields

        found = [f.name for f in encrypted_fields(self.model)]
        return tuple(dict.fromkeys([*found, *self.encrypted]))

    def export_fields(self) -> tuple[str, ...]:
        if self.export == "__all__":
            return tuple(self.personal_fields())
        return tuple(self.export)

    def table(self) -> type[models.Model]:
        return self.model

    def count(self, subject: Subject) -> int:
        return self.rows_for(subject).count()

    def subject_filter(self, subject: Subject) -> models.Q:
        """A filter that matches the subject's rows: by user, by e-mail (case-insensitive), or both.

        A row that belongs to an account is that account's: the e-mail address finds only rows
        with no account (a guest's), never another account's rows that happen to carry the address.
        """
        found = models.Q(pk__in=[])
        path = self.subject_path
        if subject.user_id is not None and path:
            found |= (
                models.Q(pk=subject.user_id)
                if path == "self"
                else models.Q(**{path: subject.user_id})
            )
        if subject.email and self.subject_email:
            by_email = models.Q(**{self.email_lookup(): subject.email})
            if path and path != "self":
                by_email &= models.Q(**{f"{path}__isnull": True})
            found |= by_email
        return found

    def email_lookup(self) -> str:
        """The lookup that finds ``subject_email``: case-insensitive, or its keyed hash if encrypted."""
        digest = self.email_digest_path()
        return f"{digest}__matches" if digest else f"{self.subject_email}__iexact"

    def email_digest_path(self) -> str:
        """The path to the keyed hash of an encrypted ``subject_email``; ``""`` if it is in clear."""
        from jsg_privacy.crypto.fields import digest_for

        prefix, _, name = self.subject_email.rpartition("__")
        try:
            field = resolve_field(self.model, self.subject_email)
        except PathError:
            return ""  # reported by check E004
        digest = digest_for(field.model, name) if getattr(field, "encrypted", False) else None
        if digest is None:
            return ""
        return f"{prefix}__{digest.name}" if prefix else digest.name

    def rows_for(self, subject: Subject) -> models.QuerySet[models.Model]:
        return self.model._default_manager.filter(self.subject_filter(subject))


class SourceUnavailable(Exception):
    """Raised by a remote source's ``export`` when its system cannot be reached.

    The export goes on without it: the source is marked missing in the file (with this message as
    the reason, so word it for the data subject) and on the request's case.
    """


class RemoteSource(Source, abc.ABC):
    """Personal data held by another system, reached through its API.

    Set ``key`` (unique, e.g. ``"saleor.orders"``) and ``label``, declare ``fields``, ``retention`` and
    ``erasure`` as for a model, and implement :meth:`export` and :meth:`erase`. Register an instance
    with ``registry.register_remote(source)``.
    """

    key: str = ""

    @abc.abstractmethod
    def export(self, subject: Subject) -> Iterable[Mapping[str, Any]]:
        """The subject's records, one mapping per record, holding only declared fields."""

    @abc.abstractmethod
    def erase(self, subject: Subject) -> int:
        """Apply :attr:`erasure` to the subject's records; return how many records were changed."""


def iter_model_fields(model: type[models.Model]) -> Iterator[models.Field[Any, Any]]:
    """The concrete fields and forward one-to-one/many-to-many relations of ``model``."""
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignObjectRel):
            continue  # reverse relations belong to the other model
        yield field
