"""PayPal (Orders v2) against the local PayPal stand-in: the shop creates the order for its own
amount, the buyer approves at PayPal, the shop captures; webhooks are verified by PayPal's
verify-webhook-signature; refunds and erasure go through the same gateway."""

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from example_shop.orders.models import Order
from jsg_privacy.payments import charges, gateways, transport
from jsg_privacy.payments.base import Status
from jsg_privacy.payments.gateways.paypal import testing as paypal_testing
from jsg_privacy.payments.models import Disclosure, Payment, WebhookEvent
from jsg_privacy.requests import cases, service
from tests.jsg_privacy.payments.conftest import TOTAL_PENCE, client_for, payable_for

pytestmark = pytest.mark.django_db

STRIPE = "jsg_privacy.payments.gateways.stripe.StripeGateway"
PAYPAL = "jsg_privacy.payments.gateways.paypal.PayPalGateway"
URL = "/privacy/payments/webhook/paypal/"


@pytest.fixture(scope="session")
def paypal_server() -> paypal_testing.LocalPayPal:
    return paypal_testing.local_paypal()


@pytest.fixture
def paypal(paypal_server, settings) -> paypal_testing.LocalPayPal:
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE, PAYPAL]
    settings.JSG_PRIVACY_PAYPAL = paypal_server.settings()
    return paypal_server


def url(order: Order, step: str) -> str:
    return reverse(f"jsg_privacy:payments:{step}", args=[order.reference, "paypal"])


def test_the_pay_page_offers_paypal_beside_the_card(paypal, order):
    page = client_for(order).get(reverse("jsg_privacy:payments:pay", args=[order.reference]))

    assert "Pay by PayPal" in page.text
    assert (
        f'<script src="{paypal.url}/sdk/js?client-id=paypal-standin-client&amp;currency=GBP"'
        in (page.text)
    )
    assert "payments-paypal.js" in page.text


def test_a_buyer_who_approves_at_paypal_pays_the_order(paypal, order):
    client = client_for(order)

    with transport.recording() as sent:
        created = client.post(url(order, "prepare"), {"amount": "1", "currency": "usd"}).json()
        assert created["status"] == "requires_action"
        paypal.approve(created["intent_id"])  # the buyer, at PayPal
        answer = client.post(url(order, "confirm"))

    assert answer.json() == {
        "status": "succeeded",
        "message": "",
        "redirect": order.get_confirmation_url(),
    }
    payment = Payment.objects.get()
    assert (payment.gateway, payment.intent_id, payment.status) == (
        "paypal",
        created["intent_id"],
        Status.SUCCEEDED,
    )
    assert payment.card == "PayPal"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    creating = next(r for r in sent if r.url.endswith("/v2/checkout/orders"))
    assert '"value": "258.00"' in creating.body  # the order's total, not what the page posted
    assert '"currency_code": "GBP"' in creating.body
    everything = " ".join(r.url + r.body for r in sent)
    assert order.email.split("@")[0] not in everything
    assert "Amelia" not in everything
    log = list(Disclosure.objects.order_by("pk").values_list("operation", "field_names"))
    assert log == [
        ("orders.create", ["amount", "currency", "order_reference"]),
        ("orders.retrieve", []),
        ("orders.capture", []),
    ]
    assert set(Disclosure.objects.values_list("recipient", flat=True)) == {"paypal"}


def test_an_order_not_approved_pays_nothing_and_another_tab_gets_the_same_paypal_order(
    paypal, order
):
    client = client_for(order)
    first = client.post(url(order, "prepare")).json()

    unfinished = client.post(url(order, "confirm"))
    again = client.post(url(order, "prepare")).json()

    assert unfinished.status_code == 402
    assert again["intent_id"] == first["intent_id"]
    assert Payment.objects.count() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_a_declined_funding_source_is_shown_and_the_order_stays_payable(paypal, order):
    client = client_for(order)
    first = client.post(url(order, "prepare")).json()
    paypal.approve(first["intent_id"], payer="declined")

    declined = client.post(url(order, "confirm"))

    assert declined.status_code == 402
    assert declined.json()["message"].startswith("PayPal could not take the payment")
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT
    second = client.post(url(order, "prepare")).json()
    assert second["intent_id"] != first["intent_id"]
    paypal.approve(second["intent_id"])
    assert client.post(url(order, "confirm")).json()["status"] == "succeeded"
    statuses = list(Payment.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [Status.DECLINED, Status.SUCCEEDED]


def test_paypal_down_shows_a_clear_message_and_the_order_stays_payable(paypal, order, settings):
    settings.JSG_PRIVACY_PAYPAL = {**paypal.settings(), "api_base": "http://127.0.0.1:9"}
    client = client_for(order)

    down = client.post(url(order, "prepare"))

    assert down.status_code == 502
    assert down.json()["message"] == (
        "The payment service could not be reached. Please try again in a moment."
    )
    assert Payment.objects.get().status == Status.FAILED
    settings.JSG_PRIVACY_PAYPAL = paypal.settings()
    created = client.post(url(order, "prepare")).json()
    paypal.approve(created["intent_id"])
    assert client.post(url(order, "confirm")).json()["status"] == "succeeded"


def waiting_payment(paypal, order) -> Payment:
    """A PayPal order the shop created and never saw captured (the buyer closed the page)."""
    payment, _created = charges.prepare(payable_for(order), gateways.get("paypal"))
    return payment


def test_a_verified_webhook_pays_once_and_a_forged_or_altered_one_changes_nothing(
    paypal, client, order
):
    payment = waiting_payment(paypal, order)
    event = paypal_testing.capture_completed(payment.intent_id, "258.00", reference=order.reference)
    body, headers = paypal.signed_webhook(event)

    forged = client.post(
        URL, body.replace(b"258.00", b"258.01"), content_type="application/json", headers=headers
    )
    other_webhook = paypal.signed_webhook(event, webhook_id="WH-SOMEONE-ELSE")
    someone_else = client.post(
        URL, other_webhook[0], content_type="application/json", headers=other_webhook[1]
    )
    unsigned = client.post(URL, body, content_type="application/json")
    assert (forged.status_code, someone_else.status_code, unsigned.status_code) == (400, 400, 400)
    assert not WebhookEvent.objects.exists()

    altered = paypal_testing.capture_completed(payment.intent_id, "1.00", event_id="WH-ALTERED")
    body_altered, headers_altered = paypal.signed_webhook(altered)
    answer = client.post(
        URL, body_altered, content_type="application/json", headers=headers_altered
    )
    assert answer.content == b"amount differs: not paid"
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT

    paid = client.post(URL, body, content_type="application/json", headers=headers)
    replayed = client.post(URL, body, content_type="application/json", headers=headers)
    assert (paid.content, replayed.content) == (b"paid", b"replayed")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.filter(status=Status.SUCCEEDED).count() == 1


def test_staff_refund_a_paypal_payment_through_paypal_after_the_default_changes(
    paypal, order, settings
):
    client = client_for(order)
    created = client.post(url(order, "prepare")).json()
    paypal.approve(created["intent_id"])
    client.post(url(order, "confirm"))
    payment = Payment.objects.get()
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE, PAYPAL]  # Stripe is the default

    result = charges.refund(payment)

    assert result.succeeded
    assert result.amount == TOTAL_PENCE
    assert result.refund_id.startswith("REF")
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert not charges.refund(payment).succeeded
    refund = Disclosure.objects.get(operation="captures.refund")
    assert refund.field_names == ["amount"]


def test_erasure_deletes_the_payers_vault_token_at_paypal(paypal, order):
    client = client_for(order)
    created = client.post(url(order, "prepare")).json()
    paypal.approve(created["intent_id"])
    client.post(url(order, "confirm"))
    token = paypal.vault_token()  # a saved PayPal account, as PayPal's vault keeps it
    Payment.objects.update(customer_id=token)
    case = cases.open_case(
        kind="erasure",
        email=order.email,
        channel="web_form",
        identity_check="signed link e-mailed to the requester's address",
        address_check="signed link e-mailed to the requester's address",
    )

    service.run_erasure(case.pk)

    notice = case.recipient_notices.get(recipient="paypal")
    assert notice.result == "1 customer record(s) deleted"
    assert not gateways.get("paypal").delete_customer(token, subject_key="k")  # gone at PayPal
    assert Payment.objects.get().customer_id != token


def test_paypal_without_credentials_in_production_fails_the_checks(paypal, settings):
    settings.JSG_PRIVACY_PAYPAL = {}
    assert "jsg_privacy.E066" in [m.id for m in run_checks()]

    settings.JSG_PRIVACY_PAYPAL = paypal.settings()
    deploy = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "jsg_privacy.E068" in deploy


def test_an_approval_whose_page_was_closed_is_captured_by_paypals_webhook_once(
    paypal, client, order
):
    """The buyer approved at PayPal and closed the page before it came back: PayPal's
    CHECKOUT.ORDER.APPROVED makes the shop capture the order, once."""
    payment = waiting_payment(paypal, order)
    paypal.approve(payment.intent_id)
    order_resource = {"id": payment.intent_id, "status": "APPROVED"}
    event = {"id": "WH-APPROVED-1", "event_type": "CHECKOUT.ORDER.APPROVED"}
    body, headers = paypal.signed_webhook({**event, "resource": order_resource})

    captured = client.post(URL, body, content_type="application/json", headers=headers)
    replayed = client.post(URL, body, content_type="application/json", headers=headers)

    assert (captured.content, replayed.content) == (b"paid", b"replayed")
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Disclosure.objects.filter(operation="orders.capture").count() == 1


def test_an_approval_webhook_while_paypal_is_down_is_left_for_paypal_to_resend(
    paypal, client, order, settings
):
    payment = waiting_payment(paypal, order)
    paypal.approve(payment.intent_id)
    event = {"id": "WH-APPROVED-2", "event_type": "CHECKOUT.ORDER.APPROVED"}
    body, headers = paypal.signed_webhook({**event, "resource": {"id": payment.intent_id}})
    settings.JSG_PRIVACY_PAYPAL = {**paypal.settings(), "api_base": "http://127.0.0.1:9"}

    down = client.post(URL, body, content_type="application/json", headers=headers)

    assert down.status_code == 503  # PayPal resends it
    assert not WebhookEvent.objects.exists()
    settings.JSG_PRIVACY_PAYPAL = paypal.settings()
    assert client.post(URL, body, content_type="application/json", headers=headers).content == (
        b"paid"
    )
