"""Oscar's baskets (the ``basket`` app). An open basket is personal: what someone means to buy.

A basket that became an order is not part of the sales record (the order is): baskets, submitted
or not, are deleted a year after they were started, and on erasure.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy

YEAR = privacy.Period(years=1)


def _kept_a_year(anchor: str) -> privacy.Retention:
    return privacy.Retention(
        anchor=anchor,
        period=YEAR,
        anchor_label=_("after the basket is started"),
        reason=_("long enough to come back to a basket; an order keeps what was bought"),
    )


class BasketSource(privacy.ModelSource):
    label = _("Your baskets")
    subject = "owner"  # a visitor's basket has no owner: it is found through their cookie only
    fields = {inventory.ORDER: ["status", "date_created", "date_merged", "date_submitted"]}
    not_personal = ["vouchers"]  # vouchers applied to the basket: the shop's own codes
    retention = _kept_a_year("date_created")
    erasure = privacy.Delete()


class BasketLineSource(privacy.ModelSource):
    label = _("What is in your baskets")
    subject = "basket__owner"
    fields = {
        inventory.ORDER: ["product", "quantity", "date_created", "date_updated"],
        inventory.TRANSACTION: ["price_currency", "price_excl_tax", "price_incl_tax"],
    }
    not_personal = ["line_reference", "stockrecord", "tax_code"]
    export = [
        "product__title",
        "quantity",
        "price_currency",
        "price_incl_tax",
        "date_created",
        "date_updated",
    ]
    money = {"price_incl_tax": privacy.Money(currency_field="price_currency")}
    retention = _kept_a_year("basket__date_created")
    erasure = privacy.Delete()


class BasketLineAttributeSource(privacy.ModelSource):
    """Options chosen for a basket line, e.g. a gift message: free text."""

    label = _("Options you chose in your baskets")
    subject = "line__basket__owner"
    fields = {inventory.ORDER: ["value"]}
    not_personal = ["line", "option"]
    export = ["line__product__title", "option__name", "value"]
    retention = _kept_a_year("line__basket__date_created")
    erasure = privacy.Delete()
