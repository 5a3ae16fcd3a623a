"""Opayo Pi against the local Opayo stand-in: a merchant session key for the page, the card turned
into a card identifier in the browser, the shop's own amount charged; refunds and the allowlist."""

import re
import urllib.error

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from example_shop.orders.models import Order
from jsg_privacy.payments import charges, testing, transport
from jsg_privacy.payments.base import Status
from jsg_privacy.payments.gateways.opayo import testing as opayo_testing
from jsg_privacy.payments.models import Disclosure, Payment
from tests.jsg_privacy.payments.conftest import TOTAL_PENCE, client_for

pytestmark = pytest.mark.django_db

STRIPE = "jsg_privacy.payments.gateways.stripe.StripeGateway"
OPAYO = "jsg_privacy.payments.gateways.opayo.OpayoGateway"
VISA = "4929000000006"
DECLINED = "4929000000014"


@pytest.fixture(scope="session")
def opayo_server() -> opayo_testing.LocalOpayo:
    return opayo_testing.local_opayo()


@pytest.fixture
def opayo(opayo_server, settings, local_stripe) -> opayo_testing.LocalOpayo:
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE, OPAYO]
    settings.JSG_PRIVACY_OPAYO = opayo_server.settings()
    return opayo_server


def session_key(client, order: Order) -> str:
    """The merchant session key the pay page gives Opayo's drop-in."""
    page = client.get(reverse("jsg_privacy:payments:pay", args=[order.reference]))
    return re.search(r'data-merchant-session-key="([0-9A-F-]{36})"', page.text).group(1)


def charge_url(order: Order) -> str:
    return reverse("jsg_privacy:payments:charge", args=[order.reference, "opayo"])


def test_the_pay_page_offers_opayo_with_a_fresh_merchant_session_key(opayo, order):
    client = client_for(order)
    page = client.get(reverse("jsg_privacy:payments:pay", args=[order.reference]))

    assert "Pay by Card (Opayo)" in page.text
    assert f'<script src="{opayo.url}/api/v1/js/sagepay.js" defer></script>' in page.text
    assert session_key(client, order) != session_key(client, order)
    assert not re.search(r"<input[^>]+name=\"[^\"]*(card|cvc|cvv|number)", page.text, re.I)


def test_a_card_pays_the_shops_amount_and_opayo_gets_only_declared_fields(opayo, order):
    client = client_for(order)
    token = opayo.card_token(session_key(client, order), VISA, security_code="739")

    with transport.recording() as sent:
        answer = client.post(charge_url(order), {"token": token, "amount": "1"})

    assert answer.json()["status"] == "succeeded"
    payment = Payment.objects.get()
    assert (payment.gateway, payment.status, payment.amount) == ("opayo", "succeeded", TOTAL_PENCE)
    assert payment.card == "Visa ending 0006 (12/2030)"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    [request] = sent
    assert '"amount": 25800' in request.body
    assert '"customerLastName": "Hughes"' in request.body  # Opayo requires name and address
    assert order.email not in request.body
    assert testing.card_data_in(request.body, ("739",)) == []
    [disclosure] = Disclosure.objects.all()
    assert (disclosure.recipient, disclosure.operation) == ("sagepay", "transactions.payment")
    assert disclosure.field_names == [
        "amount",
        "billing_address",
        "billing_name",
        "currency",
        "order_reference",
        "payment_method",
    ]


def test_a_declined_card_is_shown_and_the_order_stays_payable(opayo, order):
    client = client_for(order)

    declined = client.post(
        charge_url(order), {"token": opayo.card_token(session_key(client, order), DECLINED)}
    )

    assert declined.status_code == 402
    assert declined.json()["message"] == "Your card was declined."
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT
    again = client.post(
        charge_url(order), {"token": opayo.card_token(session_key(client, order), VISA)}
    )
    assert again.json()["status"] == "succeeded"


def test_a_used_card_identifier_or_a_made_up_token_charges_nothing(opayo, order):
    client = client_for(order)
    token = opayo.card_token(session_key(client, order), VISA)
    client.post(charge_url(order), {"token": token})
    Payment.objects.update(status=Status.FAILED)  # pretend it failed, to try the token again
    Order.objects.update(status=Order.Status.AWAITING_PAYMENT)

    reused = client.post(charge_url(order), {"token": token})
    made_up = client.post(charge_url(order), {"token": "not-a-token"})

    assert reused.status_code == 402
    assert (
        reused.json()["message"] == "Your card details could not be used. Please enter them again."
    )
    assert made_up.status_code == 400
    assert Payment.objects.filter(status=Status.SUCCEEDED).count() == 0


def test_an_invalid_card_never_becomes_a_token(opayo, order):
    client = client_for(order)
    with pytest.raises(urllib.error.HTTPError) as refused:
        opayo.card_token(session_key(client, order), "4929000000007")  # fails the Luhn check
    assert refused.value.code == 422
    assert not Payment.objects.exists()


def test_opayo_down_shows_a_clear_message_and_the_order_stays_payable(opayo, order, settings):
    client = client_for(order)
    token = opayo.card_token(session_key(client, order), VISA)
    settings.JSG_PRIVACY_OPAYO = {**opayo.settings(), "api_base": "http://127.0.0.1:9/api/v1"}

    down = client.post(charge_url(order), {"token": token})
    page = client.get(reverse("jsg_privacy:payments:pay", args=[order.reference]))

    assert down.status_code == 502
    assert down.json()["message"].startswith("The payment service could not be reached.")
    assert page.status_code == 200  # the card by Stripe is still offered
    assert "Pay by Card (Opayo)" not in page.text
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_staff_refund_an_opayo_payment(opayo, order):
    client = client_for(order)
    client.post(charge_url(order), {"token": opayo.card_token(session_key(client, order), VISA)})
    payment = Payment.objects.get()

    result = charges.refund(payment)

    assert result.succeeded
    assert result.amount == TOTAL_PENCE
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    assert not charges.refund(payment).succeeded


def test_opayo_webhooks_are_refused(opayo, client):
    response = client.post(
        "/privacy/payments/webhook/opayo/", b'{"status": "Ok"}', content_type="application/json"
    )
    assert response.status_code == 400


def test_opayo_without_credentials_in_production_fails_the_checks(opayo, settings):
    settings.JSG_PRIVACY_OPAYO = {}
    assert "jsg_privacy.E069" in [m.id for m in run_checks()]
    settings.JSG_PRIVACY_OPAYO = opayo.settings()
    assert "jsg_privacy.E068" in [m.id for m in run_checks(include_deployment_checks=True)]
