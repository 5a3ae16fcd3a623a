"""A customer's and a guest's data in a django-oscar shop, made with Oscar's own factories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import oscar
import pytest
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test import factories

Order = get_model("order", "Order")
OrderLineAttribute = get_model("order", "LineAttribute")
OrderNote = get_model("order", "OrderNote")
Basket = get_model("basket", "Basket")
Option = get_model("catalogue", "Option")
UserProductView = get_model("analytics", "UserProductView")
UserSearch = get_model("analytics", "UserSearch")
UserRecord = get_model("analytics", "UserRecord")
Bankcard = get_model("payment", "Bankcard")
Email = get_model("communication", "Email")
Notification = get_model("communication", "Notification")
WishListSharedEmail = get_model("wishlists", "WishListSharedEmail")
Vote = get_model("reviews", "Vote")
ShippingEventType = get_model("order", "ShippingEventType")
SourceType = get_model("payment", "SourceType")


ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "line1": "12 St James's Square",
    "line4": "London",
    "postcode": "SW1Y 4JH",
}


@dataclass
class Shopper:
    """Someone's records in the shop: ``user`` is ``None`` for a guest."""

    email: str
    user: Any = None
    orders: list[Any] = field(default_factory=list)
    other: dict[str, Any] = field(default_factory=dict)

    @property
    def order(self) -> Any:
        return self.orders[0]


def place_order(*, user: Any = None, guest_email: str = "", placed: date | None = None) -> Any:
    """An order through Oscar's OrderCreator, with its own delivery and billing addresses, a
    gift message on its line, a payment with a transaction, a delivery and a staff note."""
    product = factories.create_product(title="Walnut desk", price=Decimal("120.00"), num_in_stock=5)
    basket = Basket.objects.create(owner=user)
    basket.strategy = Default()
    basket.add_product(product)
    order = factories.create_order(
        user=user,
        basket=basket,
        guest_email=guest_email,
        shipping_address=factories.ShippingAddressFactory(**ADDRESS, notes="Leave with the porter"),
        billing_address=factories.BillingAddressFactory(**ADDRESS),
    )
    line = order.lines.get()
    option, _ = Option.objects.get_or_create(name="Gift message", code="gift-message")
    OrderLineAttribute.objects.create(
        line=line, option=option, type="Gift message", value="Happy birthday, Ada"
    )
    card, _ = SourceType.objects.get_or_create(code="card", defaults={"name": "Card"})
    source = factories.SourceFactory(
        order=order, source_type=card, reference="pi_123", amount_debited=order.total_incl_tax
    )
    factories.TransactionFactory(source=source, txn_type="Debit")
    event_type, _ = ShippingEventType.objects.get_or_create(name="Shipped")
    event = order.shipping_events.create(event_type=event_type, notes="Tracking: RM123456789GB")
    event.lines.add(line, through_defaults={"quantity": 1})
    OrderNote.objects.create(order=order, message="Customer rang: deliver after 6pm")
    if placed is not None:
        moment = timezone.make_aware(
            timezone.datetime.combine(placed, timezone.datetime.min.time())
        )
        Order.objects.filter(pk=order.pk).update(date_placed=moment)
        order.refresh_from_db()
    return order


@pytest.fixture(autouse=True, scope="session")
def _missing_image() -> None:
    """Oscar's "image not found" picture in the media storage, as Oscar's docs say to copy it."""
    source = Path(oscar.__file__).parent / "static" / "oscar" / "img" / "image_not_found.jpg"
    if not default_storage.exists(settings.OSCAR_MISSING_IMAGE_URL):
        with source.open("rb") as image:
            default_storage.save(settings.OSCAR_MISSING_IMAGE_URL, File(image))


@pytest.fixture
def customer(db) -> Shopper:
    """A signed-up customer with an order of last month and everything an account holds."""
    user = factories.UserFactory(
        username="ada", email="ada@example.com", first_name="Ada", last_name="Lovelace"
    )
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    shopper = Shopper(email=user.email, user=user)
    shopper.orders.append(place_order(user=user, placed=timezone.localdate() - timedelta(days=30)))
    product = shopper.order.lines.get().product
    address = factories.UserAddressFactory(
        user=user, first_name="Ada", line1="12 St James's Square"
    )
    wishlist = factories.WishListFactory(owner=user, name="Study")
    wishlist.add(product)
    WishListSharedEmail.objects.create(wishlist=wishlist, email="charles@example.com")
    review = factories.ProductReviewFactory(
        product=product, user=user, title="Solid walnut", body="Sturdy and handsome."
    )
    Vote.objects.create(review=review, user=user, delta=1)
    factories.ProductAlertFactory(product=product, user=user)
    Email.objects.create(user=user, subject="Your order", body_text="Thank you, Ada.")
    Notification.objects.create(recipient=user, subject="Back in stock", body="The desk is back.")
    UserProductView.objects.create(user=user, product=product)
    UserSearch.objects.create(user=user, query="walnut desk")
    UserRecord.objects.update_or_create(user=user, defaults={"num_product_views": 1})
    Bankcard.objects.create(
        user=user,
        card_type="Visa",
        name="A LOVELACE",
        number="4111111111111111",
        expiry_date=timezone.localdate() + timedelta(days=400),
    )
    open_basket = Basket.objects.create(owner=user)
    open_basket.strategy = Default()
    open_basket.add_product(product)
    shopper.other.update(address=address, wishlist=wishlist, review=review, basket=open_basket)
    return shopper


@pytest.fixture
def guest(db) -> Shopper:
    """A visitor who ordered without an account, asked for a stock alert and wrote a review."""
    shopper = Shopper(email="grace@example.com")
    shopper.orders.append(
        place_order(guest_email=shopper.email, placed=timezone.localdate() - timedelta(days=10))
    )
    product = shopper.order.lines.get().product
    factories.ProductAlertFactory(product=product, user=None, email=shopper.email)
    factories.ProductReviewFactory(
        product=product, user=None, name="Grace", email=shopper.email, title="Lovely", body="Yes."
    )
    Email.objects.create(email=shopper.email, subject="Your order", body_text="Thank you, Grace.")
    return shopper


def pytest_configure(config: Any) -> None:
    # Noise from Oscar's dependencies, not from the code under test.
    for line in (
        "ignore:.*_after_postgeneration will stop saving:DeprecationWarning",
        "ignore:update is not implemented in this backend:UserWarning",
        "ignore:remove is not implemented in this backend:UserWarning",
        "ignore:Using Category.get_tree:DeprecationWarning",
    ):
        config.addinivalue_line("filterwarnings", line)
