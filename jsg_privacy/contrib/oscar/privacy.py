"""django-oscar's personal data, declared for the Oscar apps this project installed.

Found at start-up like any app's ``privacy.py``. A model the project declared already (in an app
listed before this one) keeps the project's declaration; to replace one of these, unregister it
in a module of ``JSG_PRIVACY_MODULES`` (imported last) and register your own (see docs/oscar.md).
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

from jsg_privacy import registry as privacy
from jsg_privacy.contrib.oscar import cookies
from jsg_privacy.contrib.oscar.sources import (
    accounts,
    activity,
    baskets,
    order_records,
    orders,
    payments,
)

#: Oscar's models holding personal data, by label. The addresses come before their orders: the
#: retention engine follows this order, and an address is found through its order.
SOURCES: dict[str, type[privacy.ModelSource]] = {
    "order.ShippingAddress": orders.ShippingAddressSource,
    "order.BillingAddress": orders.BillingAddressSource,
    "order.Order": orders.OrderSource,
    "order.Line": orders.LineSource,
    "order.LineAttribute": orders.LineAttributeSource,
    "order.ShippingEvent": order_records.ShippingEventSource,
    "order.OrderStatusChange": order_records.OrderStatusChangeSource,
    "order.CommunicationEvent": order_records.CommunicationEventSource,
    "order.OrderDiscount": order_records.OrderDiscountSource,
    "order.Surcharge": order_records.SurchargeSource,
    "order.OrderNote": order_records.OrderNoteSource,
    "voucher.VoucherApplication": order_records.VoucherApplicationSource,
    "payment.Source": payments.PaymentSourceSource,
    "payment.Transaction": payments.TransactionSource,
    "payment.Bankcard": payments.BankcardSource,
    "basket.Basket": baskets.BasketSource,
    "basket.Line": baskets.BasketLineSource,
    "basket.LineAttribute": baskets.BasketLineAttributeSource,
    "address.UserAddress": accounts.UserAddressSource,
    "wishlists.WishList": accounts.WishListSource,
    "wishlists.Line": accounts.WishListLineSource,
    "wishlists.WishListSharedEmail": accounts.WishListSharedEmailSource,
    "customer.ProductAlert": accounts.ProductAlertSource,
    "communication.Email": accounts.EmailSource,
    "communication.Notification": accounts.NotificationSource,
    "reviews.ProductReview": activity.ProductReviewSource,
    "reviews.Vote": activity.VoteSource,
    "analytics.UserRecord": activity.UserRecordSource,
    "analytics.UserProductView": activity.UserProductViewSource,
    "analytics.UserSearch": activity.UserSearchSource,
}

#: Oscar's models that look personal but hold no one's data, with the reason.
KEPT_WITH_ORDER = "It names no one; it is kept with its order and deleted with it (CASCADE)."
EXEMPT: dict[str, str] = {
    "order.LinePrice": "Splits an order line's price by unit. " + KEPT_WITH_ORDER,
    "order.OrderLineDiscount": "Shares an order's discount out over its lines. " + KEPT_WITH_ORDER,
    "order.PaymentEvent": "Oscar's log of the amounts taken against an order's lines; the "
    "payments themselves are declared (payment.Source, payment.Transaction). " + KEPT_WITH_ORDER,
    "order.PaymentEventQuantity": "How many of a line a payment event covers. " + KEPT_WITH_ORDER,
    "order.ShippingEventQuantity": "How many of a line a delivery covers. " + KEPT_WITH_ORDER,
    "partner.Partner": "Fulfilment partners are businesses; their users are staff accounts "
    "allowed into the dashboard, not customers.",
    "partner.PartnerAddress": "A fulfilment partner's business address.",
    "communication.CommunicationEventType": "The shop's e-mail templates: no one's data.",
    "offer.RangeProductFileUpload": "A member of staff's upload of product codes for an offer.",
    "admin.LogEntry": "Records what staff did in Django's admin: about staff, not customers.",
}


def _model(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False  # the app is not installed (or a fork dropped the model)
    return True


def _undecided(label: str) -> bool:
    registry = privacy.registry
    return _model(label) and label not in registry.sources and label not in registry.exemptions


def declare() -> None:
    """Register every Oscar source and exemption the project has not decided itself."""
    sources = dict(SOURCES)
    if settings.AUTH_USER_MODEL == "auth.User":  # a project's own user model: privacy_inspect
        sources["auth.User"] = accounts.UserSource
    for label, source in sources.items():
        if _undecided(label):
            privacy.register(label, source)
    for label, reason in EXEMPT.items():
        if _undecided(label):
            privacy.exempt(label, reason=reason)
    privacy.add(activity.SHOP_STATISTICS_PURPOSE, *cookies.oscar_cookies())
    if cookies.google_analytics_id():
        privacy.add(cookies.GOOGLE_ANALYTICS)


declare()
