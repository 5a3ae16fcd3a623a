"""The notifier contract: one class per way of telling a recipient, chosen per recipient.

A recipient's declaration names its notifier (``Recipient.notifier``, a dotted path); without one,
``JSG_PRIVACY_RECIPIENT_NOTIFIER`` is used (an e-mail to ``Recipient.contact``). A notifier::

    class CrmNotifier(Notifier):
        events = frozenset({Event.ERASED, Event.RECTIFIED})  # what it tells; others: not told

        def collect(self, subject):  # before the change: ids that will be needed to send it
            return tuple(crm.ids_for(subject.email))

        def send(self, notice):  # after the change committed; raise NotifierError to retry later
            for crm_id in notice.references:
                crm.delete(crm_id, timeout=self.timeout)
            return f"{len(notice.references)} CRM record(s) deleted"

:meth:`Notifier.send` is called once the change has committed and again, later, after a failure,
until it succeeds: make it idempotent (a record already gone counts as done). What it returns, and
a :class:`NotifierError`'s message, are shown to staff and kept on the case: never personal data.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from jsg_privacy.conf import app_settings
from jsg_privacy.registry import Recipient, Subject

if TYPE_CHECKING:
    from jsg_privacy.notifiers.received import Footprint


class Event(StrEnum):
    """What a recipient is told of."""

    ERASED = "erased"
    RECTIFIED = "rectified"
    RESTRICTED = "restricted"
    LIFTED = "lifted"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS[self])


EVENT_LABELS = {
    Event.ERASED: _("erasure (Art. 17)"),
    Event.RECTIFIED: _("correction (Art. 16)"),
    Event.RESTRICTED: _("restriction of processing (Art. 18)"),
    Event.LIFTED: _("restriction lifted (Art. 18(3))"),
}


@dataclass(frozen=True)
class Notice:
    """What one recipient is to be told about one subject."""

    event: Event
    recipient: Recipient
    #: Our reference the recipient can quote: the request's (``DSR-2025-000012``).
    reference: str
    #: The subject's e-mail address, as the recipient knows them ("" when there is none).
    email: str = ""
    #: The subject's keyed hash (the disclosure log's ``subject_key``); never an identifier.
    subject_key: str = ""
    #: For a correction: the names of the fields corrected (never their values).
    fields: tuple[str, ...] = ()
    #: What :meth:`Notifier.collect` gathered before the change (e.g. the provider's customer ids).
    references: tuple[str, ...] = ()


class NotifierError(Exception):
    """The recipient could not be told now; it is tried again later. The message is shown to
    staff: name the cause (``"timed out"``, ``"SMTP 451"``), never personal data."""


class Notifier:
    """Tells one recipient. Subclass it and name the subclass in the recipient's declaration."""

    #: The events this notifier tells; a recipient is not told of the others.
    events: ClassVar[frozenset[Event]] = frozenset(Event)

    def __init__(self, recipient: Recipient) -> None:
        self.recipient = recipient

    @property
    def timeout(self) -> float:
        """Seconds to wait for the recipient (``JSG_PRIVACY_NOTIFIER_TIMEOUT``)."""
        return float(app_settings.NOTIFIER_TIMEOUT)

    def handles(self, event: Event) -> bool:
        return event in self.events

    def needs_contact(self) -> bool:
        """True when it cannot tell the recipient without ``Recipient.contact`` (check W045)."""
        return False

    def received(self, subject: Subject, footprint: Footprint) -> bool:
        """Whether this recipient received the subject's data (the default rule: see
        :meth:`Footprint.reached`)."""
        return footprint.reached(self.recipient)

    def concerned(self, fields: Collection[str], categories: Collection[str]) -> bool:
        """For a correction: whether the fields corrected (names, and their categories) are ones
        this recipient received. A recipient declaring ``fields`` (an allowlist, such as a payment
        provider's) is told when one of them was corrected; otherwise, by category."""
        if self.recipient.fields:
            declared = {name.rsplit(".", 1)[-1] for name in self.recipient.fields}
            return bool(declared & set(fields))
        return bool(set(self.recipient.categories) & set(categories))

    def collect(self, subject: Subject) -> tuple[str, ...]:
        """Before the change: what :meth:`send` will need that the change removes (ids)."""
        return ()

    def send(self, notice: Notice) -> str:
        """Tell the recipient; return a short account for staff. Raise :class:`NotifierError`."""
        raise NotImplementedError


class UnavailableNotifier(Notifier):
    """Stands in for a notifier that cannot be loaded: its notices fail, naming the problem, and
    are retried once the configuration is fixed (check ``jsg_privacy.E045`` reports it)."""

    def __init__(self, recipient: Recipient, problem: str) -> None:
        super().__init__(recipient)
        self.problem = problem

    def send(self, notice: Notice) -> str:
        raise NotifierError(self.problem)


def notifier_path(recipient: Recipient) -> str:
    return recipient.notifier or app_settings.RECIPIENT_NOTIFIER


def load(recipient: Recipient) -> Notifier:
    """The recipient's notifier; raises ``ImportError``/``TypeError`` when it cannot be used."""
    path = notifier_path(recipient)
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, Notifier)):
        raise TypeError(f"{path} is not a jsg_privacy.notifiers.Notifier subclass.")
    return cls(recipient)


def notifier_for(recipient: Recipient) -> Notifier:
    """The recipient's notifier, or one whose notices fail with the reason it cannot be loaded."""
    try:
        return load(recipient)
    except (ImportError, TypeError) as exc:
        return UnavailableNotifier(recipient, f"Its notifier cannot be used: {exc}")
