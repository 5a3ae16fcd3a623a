"""Tell the Saleor store of a restriction through its API (Art. 19): re-write the customer's flags.

The store receives each indexed customer's marketing choices in its private metadata, where its
other apps read them (:mod:`.marketing`). While processing is restricted every flag says "not
allowed" (``has_consent`` answers False for a restricted person); when the restriction is lifted the
flags say again what the person chose. A store that is away fails the notice, which is retried
until the flags are written, and the request waits for recipients meanwhile.

Erasure is not this notifier's: the Saleor sources erase the store's records in the erasure itself.
A correction made in the shop changes nothing the store received from it (the flags).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from jsg_privacy.crypto import subjects
from jsg_privacy.integrations.saleor import marketing
from jsg_privacy.integrations.saleor.client import SaleorError
from jsg_privacy.integrations.saleor.models import Customer
from jsg_privacy.notifiers import Event, Footprint, Notice, Notifier, NotifierError
from jsg_privacy.registry import Subject


def _address(subject: Subject) -> str:
    if subject.email:
        return subject.email
    User = get_user_model()
    user = User._default_manager.filter(pk=subject.user_id).first()
    return str(getattr(user, User.get_email_field_name(), "") or "") if user else ""


class SaleorNotifier(Notifier):
    """Re-writes the marketing flags of the subject's customers in every store they are in."""

    events = frozenset({Event.RESTRICTED, Event.LIFTED})

    def received(self, subject: Subject, footprint: Footprint) -> bool:
        return bool(self.collect(subject))

    def collect(self, subject: Subject) -> tuple[str, ...]:
        """The ids of the subject's indexed customers (one per store)."""
        email = _address(subject)
        if not email:
            return ()
        found = marketing.customers_for(set(subjects.email_keys(email)))
        return tuple(str(pk) for pk in sorted(found))

    def send(self, notice: Notice) -> str:
        customers = list(Customer.objects.filter(pk__in=[int(r) for r in notice.references]))
        written = 0
        for customer in customers:
            try:
                written += marketing.sync(customer)
            except SaleorError as exc:
                raise NotifierError(f"Saleor did not take the flags: {exc}") from exc
        return f"marketing flags re-written for {written} customer(s)"
