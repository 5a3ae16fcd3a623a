"""Attack: a signed event dated in the future (a signature captured or made ahead of time).

Before, a Stripe signature dated an hour ahead and a Saleor event issued a year ahead were accepted:
dated ahead, an event stays inside the replay window until that date, and a Saleor event looks newer
than the store's real changes. Now both may be at most a few minutes ahead of this server's clock
(``CLOCK_SKEW``, 5 minutes, for clocks that drift); a later one gets a 400 and nothing is recorded.
"""

import base64
import time
from datetime import UTC, datetime, timedelta

import pytest

from example_shop.orders.models import Order
from jsg_privacy.integrations.saleor import installations
from jsg_privacy.integrations.saleor.models import Customer, Delivery, Installation
from jsg_privacy.integrations.saleor.models import Order as SaleorOrder
from jsg_privacy.payments import charges, gateways
from jsg_privacy.payments.base import Status
from jsg_privacy.payments.gateways.stripe import testing as stripe_testing
from jsg_privacy.payments.models import Payment, WebhookEvent
from tests.jsg_privacy.payments.conftest import TOTAL_PENCE, make_order, payable_for
from tests.jsg_privacy.saleor.conftest import deliver, event, register, saleor  # noqa: F401

pytestmark = pytest.mark.django_db

STRIPE_WEBHOOK = "/privacy/payments/webhook/stripe/"
AHEAD = {"1 minute": timedelta(minutes=1)}
TOO_FAR = {"10 minutes": timedelta(minutes=10), "1 day": timedelta(days=1)}


# --- Stripe ---


@pytest.fixture
def waiting(settings):
    """An order whose payment waits for Stripe's word, with real Stripe's settings (no call made)."""
    settings.JSG_PRIVACY_STRIPE = {
        "secret_key": "sk_test_security_tests_only",
        "publishable_key": "pk_test_security_tests_only",
        "webhook_secret": "whsec_security_tests_only",
    }
    order = make_order(guest_name="Amelia Hughes", email="amelia.hughes@example.co.uk")
    payment = charges.start(payable_for(order), gateways.get("stripe"))
    Payment.objects.filter(pk=payment.pk).update(intent_id="pi_waiting123")
    return order


def stripe_event_signed(client, ahead: timedelta):
    event = stripe_testing.payment_intent_event("pi_waiting123", amount=TOTAL_PENCE)
    signed_at = int(time.time() + ahead.total_seconds())
    body, headers = stripe_testing.signed_webhook(event, timestamp=signed_at)
    return client.post(STRIPE_WEBHOOK, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("ahead", TOO_FAR.values(), ids=TOO_FAR.keys())
def test_a_stripe_event_signed_too_far_ahead_pays_nothing(client, waiting, ahead):
    response = stripe_event_signed(client, ahead)

    assert response.status_code == 400
    assert "ahead of this server's clock" in response.text
    assert not WebhookEvent.objects.exists()
    assert Payment.objects.get().status == Status.PROCESSING
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.AWAITING_PAYMENT


@pytest.mark.parametrize("ahead", AHEAD.values(), ids=AHEAD.keys())
def test_a_stripe_event_signed_within_the_clock_skew_pays(client, waiting, ahead):
    response = stripe_event_signed(client, ahead)

    assert response.status_code == 200
    assert response.text == "paid"
    waiting.refresh_from_db()
    assert waiting.status == Order.Status.PAID


# --- Saleor (the store on 127.0.0.1 of the Saleor App's tests, which signs as Saleor does) ---


@pytest.fixture
def installed(settings, client, saleor):  # noqa: F811 (the fixture imported above)
    settings.JSG_PRIVACY_SALEOR_API_URLS = [saleor.api_url]
    installations.forget_installations()
    response = register(client, saleor)
    assert response.status_code == 200, response.content
    yield Installation.objects.get()
    installations.forget_installations()


def customer_created(ahead: timedelta):
    issued = (datetime.now(UTC) + ahead).isoformat()
    user = {"id": base64.b64encode(b"User:41").decode(), "email": "amelia@example.co.uk"}
    return event("CustomerCreated", issuedAt=issued, user=user)


def order_created(ahead: timedelta):
    issued = (datetime.now(UTC) + ahead).isoformat()
    order = {
        "id": base64.b64encode(b"Order:1001").decode(),
        "number": "1001",
        "created": "2026-03-01T09:00:00+00:00",
        "userEmail": "amelia@example.co.uk",
        "user": None,
    }
    return event("OrderCreated", issuedAt=issued, order=order)


@pytest.mark.urls("tests.jsg_privacy.saleor.urls")
@pytest.mark.parametrize("ahead", TOO_FAR.values(), ids=TOO_FAR.keys())
@pytest.mark.parametrize("make", [customer_created, order_created], ids=["customer", "order"])
def test_a_saleor_event_issued_too_far_ahead_is_refused(installed, deliver, make, ahead):  # noqa: F811
    response = deliver(make(ahead))

    assert response.status_code == 400
    assert "in the future" in response.text
    assert not Delivery.objects.exists()
    assert not Customer.objects.exists()
    assert not SaleorOrder.objects.exists()


@pytest.mark.urls("tests.jsg_privacy.saleor.urls")
@pytest.mark.parametrize("ahead", AHEAD.values(), ids=AHEAD.keys())
def test_a_saleor_event_issued_within_the_clock_skew_is_handled(installed, deliver, ahead):  # noqa: F811
    response = deliver(order_created(ahead))

    assert response.status_code == 200
    assert SaleorOrder.objects.get().number == "1001"
