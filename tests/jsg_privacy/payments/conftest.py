"""Payments fixtures: localstripe for the run, an order of £258.00 and the session that placed it.

None is autouse: the card-data guard's tests in this folder need none of them.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory

from example_shop import factories
from example_shop.orders.models import Order
from example_shop.orders.views import PLACED_ORDERS_SESSION_KEY
from jsg_privacy.payments import charges, gateways
from jsg_privacy.payments.adapter import get_adapter
from jsg_privacy.payments.base import Payable, PaymentResult
from jsg_privacy.payments.gateways.stripe import testing as stripe_testing
from jsg_privacy.payments.models import Payment

VISA = "4242424242424242"
DECLINED_ON_CHARGE = "4000000000000341"  # attaches to a customer, every charge is declined
DECLINED_ON_ATTACH = "4000000000000002"
THREE_D_SECURE = "4000002500003155"  # needs the cardholder to authenticate
TOTAL_PENCE = 25800


@pytest.fixture(scope="session")
def stripe_server() -> stripe_testing.LocalStripe:
    return stripe_testing.local_stripe()


@pytest.fixture
def local_stripe(stripe_server, settings) -> stripe_testing.LocalStripe:
    """The Stripe backend pointed at this run's localstripe."""
    settings.JSG_PRIVACY_STRIPE = stripe_server.settings()
    return stripe_server


def make_order(**kwargs) -> Order:
    """An order awaiting payment: 2 x £129.00."""
    order = factories.OrderFactory(lines=0, mpan="", **kwargs)
    product = factories.ProductFactory(price=Decimal("129.00"), stock=5)
    factories.OrderLineFactory(order=order, product=product, quantity=2)
    order.recalculate_totals()
    order.save(update_fields=["subtotal", "total"])
    return order


@pytest.fixture
def order(db) -> Order:
    return make_order(guest_name="Amelia Hughes", email="amelia.hughes@example.co.uk")


def payable_for(order: Order) -> Payable:
    """What the shop's adapter says the order owes, as seen by the session that placed it."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = {PLACED_ORDERS_SESSION_KEY: [str(order.public_id)]}
    payable = get_adapter().get_payable(request, order.reference)
    assert payable is not None
    return payable


@pytest.fixture
def payable(order) -> Payable:
    return payable_for(order)


def client_for(order: Order) -> Client:
    """A browser session that placed ``order``."""
    client = Client()
    session = SessionStore()
    session[PLACED_ORDERS_SESSION_KEY] = [str(order.public_id)]
    session.save()
    client.cookies["sessionid"] = session.session_key
    return client


def pay_by_card(
    server: stripe_testing.LocalStripe, payable: Payable, number: str, **card
) -> tuple[Payment, PaymentResult]:
    """Pay as the pay page does: prepare the PaymentIntent on the server, confirm it with the card
    as Stripe.js does in the browser, then have the server confirm what Stripe says."""
    payment, prepared = charges.prepare(payable, gateways.get("stripe"))
    server.confirm_card(prepared.client_secret, number, **card)
    result = charges.confirm(payment)
    payment.refresh_from_db()
    return payment, result
