"""Oscar's orders: the sales record, its lines and its addresses (the ``order`` app).

The order and everything recorded with it stay under the tax hold when the customer is erased;
only what identifies the customer and is not needed for the tax record is cleared at once (a
guest's e-mail address, the name and street of the delivery address, free text).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.contrib.oscar.sources.rules import (
    ADDRESS_FIELDS,
    held_with_order,
    kept_with_order,
    personal,
)


class OrderSource(privacy.ModelSource):
    label = _("Your orders")
    subject = "user"
    subject_email = "guest_email"  # an order placed without signing in
    data_subjects = "customers, and guests who ordered without an account"
    fields = {
        inventory.ORDER: [
            "number",
            "guest_email",
            "date_placed",
            "status",
            "shipping_method",
        ],
        inventory.TRANSACTION: [
            "currency",
            "total_incl_tax",
            "total_excl_tax",
            "shipping_incl_tax",
            "shipping_excl_tax",
        ],
    }
    not_personal = [
        "site",
        "basket",  # the basket the order came from: declared with the baskets
        "billing_address",  # the addresses are declared on their own, found through the order
        "shipping_address",
        "shipping_code",
        "shipping_tax_code",
        "analytics_tracked",
    ]
    # Amounts in the order's currency: the export shows them with it, in major units.
    money = {
        name: privacy.Money(currency_field="currency")
        for name in ("total_incl_tax", "total_excl_tax", "shipping_incl_tax", "shipping_excl_tax")
    }
    retention = kept_with_order("date_placed")
    # The e-mail address is not part of the tax record: erasure clears it at once.
    erasure = held_with_order("date_placed", keep=personal(fields, but=["guest_email"]))


class LineSource(privacy.ModelSource):
    label = _("What you ordered")
    subject = "order__user"
    subject_email = "order__guest_email"
    fields = {
        inventory.ORDER: ["title", "upc", "quantity", "status", "partner_line_notes"],
        inventory.TRANSACTION: [
            "line_price_incl_tax",
            "line_price_excl_tax",
            "line_price_before_discounts_incl_tax",
            "line_price_before_discounts_excl_tax",
            "unit_price_incl_tax",
            "unit_price_excl_tax",
        ],
    }
    not_personal = [
        "partner",  # the supplier that fulfils the line: a business
        "partner_name",
        "partner_sku",
        "partner_line_reference",
        "stockrecord",
        "product",
        "tax_code",
        "num_allocated",
        "allocation_cancelled",
    ]
    export = ["order__number", *personal(fields, but=["partner_line_notes"])]
    retention = kept_with_order("order__date_placed")
    erasure = held_with_order(
        "order__date_placed", keep=personal(fields, but=["partner_line_notes"])
    )


class LineAttributeSource(privacy.ModelSource):
    """The options chosen for a line, e.g. a gift message or an engraving: free text."""

    label = _("Options you chose for what you ordered")
    subject = "line__order__user"
    subject_email = "line__order__guest_email"
    fields = {inventory.ORDER: ["value"]}
    not_personal = ["line", "option", "type"]
    export = ["line__order__number", "line__title", "type", "value"]
    retention = kept_with_order("line__order__date_placed")
    # Not needed for the tax record: erasure empties the option at once (the line stays).
    erasure = privacy.Anonymise()


class BillingAddressSource(privacy.ModelSource):
    label = _("Billing addresses of your orders")
    subject = "order__user"
    subject_email = "order__guest_email"
    fields = {inventory.TRANSACTION: [*ADDRESS_FIELDS, "search_text"]}
    not_personal = ["code"]
    export = ["order__number", *ADDRESS_FIELDS]
    retention = kept_with_order("order__date_placed")
    # The invoice's name and address are part of the tax record; Oscar's search_text is made
    # from them on every save, so it holds what they hold.
    erasure = held_with_order("order__date_placed", keep=(*ADDRESS_FIELDS, "search_text"))


class ShippingAddressSource(privacy.ModelSource):
    label = _("Delivery addresses of your orders")
    subject = "order__user"
    subject_email = "order__guest_email"
    fields = {inventory.ORDER: [*ADDRESS_FIELDS, "phone_number", "notes", "search_text"]}
    not_personal = ["code"]
    export = ["order__number", *ADDRESS_FIELDS, "phone_number", "notes"]
    retention = kept_with_order("order__date_placed")
    # Where the goods went decides the tax on them: the town, region, postcode and country stay
    # under the hold; the name, street, phone and delivery notes are cleared at once.
    erasure = held_with_order("order__date_placed", keep=("line4", "state", "postcode", "country"))
