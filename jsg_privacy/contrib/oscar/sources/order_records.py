"""What Oscar records about an order besides its lines: events, notes, discounts, surcharges,
the e-mails sent about it and the vouchers used on it (the ``order`` and ``voucher`` apps).

They are kept as long as their order and deleted with it. The ones that are part of the sales
record stay under the tax hold when the customer is erased; notes written about the customer are
deleted at once.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.contrib.oscar.sources.rules import held_with_order, kept_with_order, personal

ORDER_DATE = "order__date_placed"


class OrderRecord(privacy.ModelSource):
    """A row hanging off one order: found, kept and deleted with it."""

    subject = "order__user"
    subject_email = "order__guest_email"
    retention = kept_with_order(ORDER_DATE)


class ShippingEventSource(OrderRecord):
    label = _("Deliveries of your orders")
    fields = {inventory.ORDER: ["event_type", "notes", "date_created"]}
    not_personal = ["lines"]  # which lines of the order were sent: the lines are declared
    export = ["order__number", "event_type__name", "notes", "date_created"]
    # The staff's notes (a tracking number, a driver's remark) are cleared at once.
    erasure = held_with_order(ORDER_DATE, keep=personal(fields, but=["notes"]))


class OrderStatusChangeSource(OrderRecord):
    label = _("Status changes of your orders")
    fields = {inventory.ORDER: ["old_status", "new_status", "date_created"]}
    export = ["order__number", *personal(fields)]
    erasure = held_with_order(ORDER_DATE, keep=personal(fields))


class CommunicationEventSource(OrderRecord):
    label = _("Messages sent about your orders")
    fields = {inventory.CORRESPONDENCE: ["event_type", "date_created"]}
    export = ["order__number", "event_type__name", "date_created"]
    erasure = held_with_order(ORDER_DATE, keep=personal(fields))


class OrderDiscountSource(OrderRecord):
    label = _("Discounts on your orders")
    fields = {
        inventory.TRANSACTION: [
            "category",
            "offer_name",
            "voucher_code",
            "frequency",
            "amount",
            "message",
        ]
    }
    not_personal = ["offer_id", "voucher_id"]  # the offer's and voucher's ids: the shop's own
    export = ["order__number", *personal(fields)]
    erasure = held_with_order(ORDER_DATE, keep=personal(fields))


class SurchargeSource(OrderRecord):
    label = _("Surcharges on your orders")
    fields = {inventory.TRANSACTION: ["name", "code", "incl_tax", "excl_tax"]}
    not_personal = ["tax_code"]
    export = ["order__number", *personal(fields)]
    erasure = held_with_order(ORDER_DATE, keep=personal(fields))


class OrderNoteSource(OrderRecord):
    """Notes staff (or the checkout) wrote on an order: about the customer, not part of the sale."""

    label = _("Notes on your orders")
    fields = {inventory.CORRESPONDENCE: ["note_type", "message", "date_created", "date_updated"]}
    not_personal = ["user"]  # the member of staff who wrote the note
    export = ["order__number", *personal(fields)]
    erasure = privacy.Delete()


class VoucherApplicationSource(OrderRecord):
    """Which voucher a customer used on which order: Oscar counts them to limit a voucher's use."""

    label = _("Vouchers you used")
    subject = "user"  # the order's customer, or a customer who used a voucher as a guest
    fields = {inventory.ORDER: ["voucher", "date_created"]}
    not_personal = ["order"]
    export = ["voucher__code", "order__number", "date_created"]
    # Not part of the tax record (the discount is, on the order): deleted on erasure.
    erasure = privacy.Delete()
