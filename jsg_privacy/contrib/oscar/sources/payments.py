"""Oscar's payments: what was paid for each order, and the cards customers saved (the ``payment``
app). Payments are part of the sales record; a saved card is not, and goes on erasure."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.contrib.oscar.sources.rules import held_with_order, kept_with_order, personal


class PaymentSourceSource(privacy.ModelSource):
    label = _("Payments for your orders")
    subject = "order__user"
    subject_email = "order__guest_email"
    fields = {
        inventory.TRANSACTION: [
            "source_type",
            "currency",
            "amount_allocated",
            "amount_debited",
            "amount_refunded",
            "reference",
            "label",
        ]
    }
    export = ["order__number", "source_type__name", *personal(fields, but=["source_type"])]
    money = {
        name: privacy.Money(currency_field="currency")
        for name in ("amount_allocated", "amount_debited", "amount_refunded")
    }
    retention = kept_with_order("order__date_placed")
    erasure = held_with_order("order__date_placed", keep=personal(fields))


class TransactionSource(privacy.ModelSource):
    label = _("Payment transactions")
    subject = "source__order__user"
    subject_email = "source__order__guest_email"
    fields = {inventory.TRANSACTION: ["txn_type", "amount", "reference", "status", "date_created"]}
    export = ["source__order__number", *personal(fields)]
    retention = kept_with_order("source__order__date_placed")
    erasure = held_with_order("source__order__date_placed", keep=personal(fields))


class BankcardSource(privacy.ModelSource):
    """A card saved to an account. Oscar keeps only the last four digits of its number."""

    label = _("Cards you saved")
    subject = "user"
    fields = {
        inventory.TRANSACTION: ["card_type", "name", "number", "expiry_date", "partner_reference"]
    }
    export = ["card_type", "name", "number", "expiry_date"]  # not the payment provider's token
    retention = privacy.Retention(
        anchor="expiry_date",
        period=privacy.Period(months=1),
        anchor_label=_("after the card expires"),
        reason=_("an expired card cannot be used"),
    )
    erasure = privacy.Delete()
