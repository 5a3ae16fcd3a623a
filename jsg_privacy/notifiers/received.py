"""Who received a subject's data: decided from what the shop declares and what it logs.

A recipient is told of an erasure, a correction or a restriction (Art. 19) only if it received the
subject's data. jsg_privacy cannot see inside a recipient, so it decides from the declarations and
its own logs, by the recipient's kind (:meth:`Footprint.reached`):

============================  ================================================================
recipient                     received the subject's data when
============================  ================================================================
a payment provider            the disclosure log records a call to it under the subject's keys
an authority (court order)    never on its own: disclosures to authorities are case by case, and
                              staff tell them
only consent purposes         the consent ledger shows the subject gave that consent (partners
(partner marketing)           get contact details only with the separate box ticked)
anyone else: processors       the shop holds data of the subject in one of the recipient's
(hosting, e-mail, suppliers), categories: hosting, which holds every category, is told of every
group companies, controllers  subject; suppliers who receive order data, of every customer with
                              an order
============================  ================================================================

"Holds" means rows in this database found for the subject by a declared source (model sources and
keyed tables), but the records of the request itself (the case, restrictions, objections, these
notices): they are about the request, not data the recipient was given. Data in another system (a
Saleor store) is that system's own source, not something the shop's processors received. A
notifier can decide differently (:meth:`Notifier.received`).
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cached_property

from jsg_privacy.crypto import subjects
from jsg_privacy.registry import Basis, ModelSource, Recipient, RecipientKind, Subject, registry

#: Sources left out of the footprint: the records of the request itself.
NOT_COUNTED = frozenset(
    {
        "jsg_privacy.Case",
        "jsg_privacy.Restriction",
        "jsg_privacy.Objection",
        "jsg_privacy.RecipientNotice",
    }
)


class Footprint:
    """Where one subject's data is and went; each part is looked up once, when first asked."""

    def __init__(self, subject: Subject, *, exclude: Collection[str] = NOT_COUNTED) -> None:
        self.subject = subject
        self.exclude = frozenset(exclude)

    @cached_property
    def keys(self) -> list[str]:
        return subjects.keys_for(self.subject)

    @cached_property
    def categories(self) -> frozenset[str]:
        """The categories of data held about the subject in this database."""
        held: set[str] = set()
        for key, source in registry.sources.items():
            if key in self.exclude or not set(source.categories()) - held:
                continue
            if isinstance(source, ModelSource):
                found = source.rows_for(self.subject).exists()
            elif source.table() is not None:
                found = bool(source.count(self.subject))  # a keyed table of this database
            else:
                continue  # another system's data: not the shop's processors'
            if found:
                held |= set(source.categories())
        return frozenset(held)

    @cached_property
    def disclosed_to(self) -> frozenset[str]:
        """The recipients the disclosure log records calls to under the subject's keys."""
        from jsg_privacy.payments.models import Disclosure

        if not self.keys:
            return frozenset()
        found = Disclosure.objects.filter(subject_key__in=self.keys).values_list(
            "recipient", flat=True
        )
        return frozenset(found.distinct())

    @cached_property
    def consented(self) -> frozenset[str]:
        """The purposes the consent ledger shows the subject ever gave consent to."""
        from jsg_privacy.consent.models import Action, ConsentRecord

        if not self.keys:
            return frozenset()
        given = ConsentRecord.objects.filter(subject_key__in=self.keys, action=Action.GIVEN)
        return frozenset(given.values_list("purpose", flat=True).distinct())

    def reached(self, recipient: Recipient) -> bool:
        """Whether ``recipient`` received the subject's data (the table in this module)."""
        kind = str(recipient.kind)
        if kind == RecipientKind.AUTHORITY:
            return False
        if kind == RecipientKind.PAYMENT_PROVIDER:
            return recipient.key in self.disclosed_to
        purposes = [registry.purposes.get(key) for key in recipient.purposes]
        if purposes and all(p is not None and p.basis == Basis.CONSENT for p in purposes):
            return bool(set(recipient.purposes) & self.consented)
        return bool(set(recipient.categories) & self.categories)
