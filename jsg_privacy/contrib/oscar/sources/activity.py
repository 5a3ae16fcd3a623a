"""What customers do in an Oscar shop besides buying: reviews and votes on them (the ``reviews``
app), and the products viewed and searches made while signed in (the ``analytics`` app)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.contrib.oscar.sources.rules import deleted, kept_with_account, personal

FIVE_YEARS = privacy.Period(years=5)
YEAR = privacy.Period(years=1)
A_YEAR = _("a year is enough to see what customers look and search for")
HELPS_SHOPPERS = _("reviews help other shoppers for as long as a product is sold")

#: Oscar's analytics app records every signed-in customer's product views and searches, without
#: asking: a legitimate interest of the shop, not a consent (which the banner's "analytics" is).
SHOP_STATISTICS = "shop_statistics"
SHOP_STATISTICS_PURPOSE = privacy.Purpose(
    SHOP_STATISTICS,
    _("Understanding what our customers look at, search for and buy"),
    privacy.Basis.LEGITIMATE_INTERESTS,
    (),  # in use only where a source names it: Oscar's analytics records
    _(
        "While you are signed in, we record the products you look at and the searches you make, "
        "and count your basket additions and orders, to improve our range, our search and the "
        "products we suggest."
    ),
    balancing_note=_(
        "The records stay in the shop and are read in aggregate, for decisions about products "
        "and search; views and searches are kept for a year; nothing is shared or used for "
        "advertising, and you can object at any time."
    ),
)


class ProductReviewSource(privacy.ModelSource):
    """A review published on a product page, by a customer or (if the shop allows it) a visitor
    who gave a name and an e-mail address."""

    label = _("Your product reviews")
    subject = "user"
    subject_email = "email"
    data_subjects = "customers and visitors who review products"
    fields = {
        inventory.CORRESPONDENCE: [
            "product",
            "score",
            "title",
            "body",
            "name",
            "email",
            "homepage",
            "status",
            "date_created",
        ]
    }
    not_personal = ["code", "total_votes", "delta_votes"]  # an id, and other people's votes
    export = ["product__title", *personal(fields, but=["product"])]
    retention = deleted(
        "date_created", FIVE_YEARS, _("after the review is written"), HELPS_SHOPPERS
    )
    erasure = privacy.Delete()


class VoteSource(privacy.ModelSource):
    label = _("Your votes on reviews")
    subject = "user"
    fields = {inventory.CORRESPONDENCE: ["review", "delta", "date_created"]}
    export = ["review__title", "delta", "date_created"]
    retention = deleted("date_created", FIVE_YEARS, _("after the vote"), HELPS_SHOPPERS)
    erasure = privacy.Delete()


class ShopStatistics(privacy.ModelSource):
    """A record of Oscar's analytics app: usage data serving the shop's statistics only."""

    origins = (privacy.Origin.AUTOMATIC,)
    purposes = (SHOP_STATISTICS,)
    subject = "user"
    erasure = privacy.Delete()


class UserProductViewSource(ShopStatistics):
    label = _("Products you looked at")
    fields = {inventory.USAGE: ["product", "date_created"]}
    export = ["product__title", "date_created"]
    retention = deleted("date_created", YEAR, _("after you look at the product"), A_YEAR)


class UserSearchSource(ShopStatistics):
    label = _("Your searches")
    fields = {inventory.USAGE: ["query", "date_created"]}
    retention = deleted("date_created", YEAR, _("after the search"), A_YEAR)


class UserRecordSource(ShopStatistics):
    """Running totals per customer: product views, basket additions, orders and spend."""

    label = _("Totals of your visits and orders")
    fields = {
        inventory.USAGE: [
            "num_product_views",
            "num_basket_additions",
            "num_orders",
            "num_order_lines",
            "num_order_items",
            "total_spent",
            "date_last_order",
        ]
    }
    retention = kept_with_account("user__last_login", "user__date_joined")
