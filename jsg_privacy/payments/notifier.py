"""Tell the payment provider of an erasure through its API: delete its customer records of the
subject (UK GDPR Art. 17, 19). Named by :data:`jsg_privacy.inventory.STRIPE`'s declaration.

The provider's customer ids are on the subject's payments, which erasure clears: :meth:`collect`
reads them *before* the erasure, and the notice keeps them (encrypted) until the deletion has
succeeded, so a provider that is away is simply tried again. Each deletion goes through the
outbound layer, so the disclosure log records it (no fields, purpose ``erasure``) under the
subject's key; a customer the provider no longer has counts as deleted. The payments themselves
stay under their legal hold.

A correction or a restriction is not the provider's business by API — it receives only what an
order needs, and nothing more while a restriction stands (:func:`jsg_privacy.payments.charges.pay`)
— so they are e-mailed to its declared ``contact`` if it has one, and otherwise not sent.
"""

from __future__ import annotations

from jsg_privacy.notifiers.base import Event, Notice, NotifierError
from jsg_privacy.notifiers.email import EmailNotifier
from jsg_privacy.payments import gateways
from jsg_privacy.payments.base import PaymentError
from jsg_privacy.payments.models import Payment
from jsg_privacy.payments.sources import PaymentSource
from jsg_privacy.registry import Subject, registry


def customer_ids(subject: Subject) -> dict[str, list[str]]:
    """The provider customer ids found on the subject's payments, by gateway name."""
    source = registry.sources.get(Payment._meta.label)
    if not isinstance(source, PaymentSource):
        source = PaymentSource(Payment)
    found: dict[str, list[str]] = {}
    rows = source.rows_for(subject).exclude(customer_id="").order_by("pk")
    for gateway, customer_id in rows.values_list("gateway", "customer_id"):
        if customer_id not in found.setdefault(gateway, []):
            found[gateway].append(customer_id)
    return found


class PaymentNotifier(EmailNotifier):
    """Deletes the subject's customers at the payment provider when the subject is erased, each
    through the gateway its payment was made with (``delete_customer``: Stripe's
    ``customers.delete``, PayPal's vault token deletion, Opayo's)."""

    def handles(self, event: Event) -> bool:
        return event == Event.ERASED or bool(self.recipient.contact)

    def needs_contact(self) -> bool:
        return False  # erasures go through the API; the rest is e-mailed only to a contact

    def collect(self, subject: Subject) -> tuple[str, ...]:
        """``"<gateway>:<customer id>"`` for each customer of the subject at this recipient: on
        payments made with any gateway whose provider is this recipient, configured or not (a
        removed gateway's customers are kept, and the notice waits until it is put back)."""
        names = {self.recipient.key}
        try:
            configured = gateways.configured()
        except (ImportError, TypeError):
            configured = {}
        names |= {
            name
            for name, gateway_class in configured.items()
            if gateway_class.recipient == self.recipient.key
        }
        return tuple(
            f"{name}:{customer_id}"
            for name, ids in customer_ids(subject).items()
            if name in names
            for customer_id in ids
        )

    def send(self, notice: Notice) -> str:
        if notice.event != Event.ERASED:
            return super().send(notice)
        if not notice.references:
            return "no customer record to delete"
        deleted = gone = 0
        for reference in notice.references:
            name, _, customer_id = reference.partition(":")
            try:
                gateway = gateways.get(name)
                if gateway.delete_customer(customer_id, subject_key=notice.subject_key):
                    deleted += 1
                else:
                    gone += 1
            except PaymentError as exc:  # unreachable, refused, not configured: retried later
                raise NotifierError(str(exc)) from exc
        return f"{deleted} customer record(s) deleted" + (f", {gone} already gone" if gone else "")


#: Stripe's notifier is the payment notifier: the gateway decides the API calls.
StripeNotifier = PaymentNotifier
