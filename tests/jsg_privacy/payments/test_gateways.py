"""Several gateways at once: the pay page offers each, every payment keeps the gateway it was made
with for its refund and erasure, a removed gateway is named by a check, and the dummy gateway lets a
host shop's tests pay with no provider."""

import json

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from example_shop.orders.models import Order
from jsg_privacy.payments import charges, gateways
from jsg_privacy.payments.base import Status
from jsg_privacy.payments.checks import check_removed_gateways
from jsg_privacy.payments.gateways import dummy
from jsg_privacy.payments.models import Disclosure, Payment
from jsg_privacy.registry import registry
from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import Status as CaseStatus
from tests.jsg_privacy.payments.conftest import TOTAL_PENCE, client_for, payable_for

pytestmark = pytest.mark.django_db

STRIPE = "jsg_privacy.payments.gateways.stripe.StripeGateway"
DUMMY = "jsg_privacy.payments.gateways.dummy.DummyGateway"


@pytest.fixture
def with_dummy(settings, local_stripe):
    """Stripe (the default) and the dummy gateway, both declared."""
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE, DUMMY]
    settings.JSG_PRIVACY_DUMMY_GATEWAY = True
    dummy.reset()
    with registry.temporarily():
        registry.add(dummy.RECIPIENT)
        yield


def ids(messages) -> list[str]:
    return sorted(message.id for message in messages if message.id.startswith("jsg_privacy.E06"))


def test_the_pay_page_offers_every_configured_gateway(with_dummy, order):
    page = client_for(order).get(reverse("jsg_privacy:payments:pay", args=[order.reference]))

    assert page.status_code == 200
    html = page.text
    assert '<h2 class="jsg-privacy__heading">Pay by Card</h2>' in html
    assert '<h2 class="jsg-privacy__heading">Pay by Test payment</h2>' in html
    assert html.index("Pay by Card") < html.index("Pay by Test payment")  # the default first
    assert f"/pay/{order.reference}/dummy/charge/" in html


def test_a_gateway_that_is_not_configured_has_no_endpoints(with_dummy, settings, order):
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE]
    client = client_for(order)

    url = reverse("jsg_privacy:payments:charge", args=[order.reference, "dummy"])
    assert client.post(url, {"token": "dummy_ok"}).status_code == 404
    assert (
        client.post("/privacy/payments/webhook/dummy/", b"{}", "application/json").status_code
        == 404
    )
    assert not Payment.objects.exists()


def test_each_payment_is_refunded_by_its_own_gateway_after_the_default_changes(
    with_dummy, settings, order
):
    client = client_for(order)
    url = reverse("jsg_privacy:payments:charge", args=[order.reference, "dummy"])
    answer = client.post(url, {"token": "dummy_ok"})
    assert answer.json()["status"] == "succeeded"
    payment = Payment.objects.get()
    assert (payment.gateway, payment.amount) == ("dummy", TOTAL_PENCE)

    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE, DUMMY]  # Stripe stays the default
    assert gateways.default().name == "stripe"
    result = charges.refund(payment)

    assert result.succeeded
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    assert dummy.PROVIDER["payments"][payment.intent_id]["status"] == "refunded"
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_a_removed_gateway_is_named_by_a_check_and_by_the_refund(with_dummy, settings, order):
    payment, _ = charges.pay(payable_for(order), "dummy_ok", gateways.get("dummy"))
    assert ids(check_removed_gateways(databases=["default"])) == []

    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE]

    [error] = check_removed_gateways(databases=["default"])
    assert error.id == "jsg_privacy.E062"
    assert "1 payment(s) were made with the gateway 'dummy'" in error.msg
    assert "Keep the gateway called 'dummy'" in error.hint
    with pytest.raises(gateways.GatewayRemoved, match="Put it back in the list"):
        charges.refund(payment)
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED  # nothing changed

    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE, DUMMY]
    assert charges.refund(payment).succeeded


def test_erasure_deletes_the_customer_through_the_gateway_of_each_payment(with_dummy, order):
    payment, _ = charges.pay(payable_for(order), "dummy_ok", gateways.get("dummy"))
    assert payment.customer_id in dummy.PROVIDER["customers"]
    case = cases.open_case(
        kind="erasure",
        email=order.email,
        channel="web_form",
        identity_check="signed link e-mailed to the requester's address",
        address_check="signed link e-mailed to the requester's address",
    )

    service.run_erasure(case.pk)

    assert payment.customer_id not in dummy.PROVIDER["customers"]
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    notice = case.recipient_notices.get(recipient="dummy")
    assert notice.result == "1 customer record(s) deleted"
    assert Disclosure.objects.filter(recipient="dummy", operation="customers.delete").count() == 1


def test_dummy_webhooks_are_verified_applied_once_and_check_the_amount(with_dummy, client, order):
    payable = payable_for(order)
    payment = charges.start(payable, gateways.get("dummy"))
    Payment.objects.filter(pk=payment.pk).update(intent_id="dpay_1", status=Status.REQUIRES_ACTION)
    url = "/privacy/payments/webhook/dummy/"
    event = {"id": "evt_1", "type": "payment.succeeded", "intent_id": "dpay_1"}

    body, headers = dummy.signed_webhook({**event, "amount": 1})
    forged = client.post(
        url,
        json.dumps({**event, "amount": TOTAL_PENCE}),
        "application/json",
        headers=headers,
    )
    assert forged.status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT

    altered = client.post(url, body, "application/json", headers=headers)  # signed, amount wrong
    assert altered.content == b"amount differs: not paid"
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT

    body, headers = dummy.signed_webhook({**event, "id": "evt_2", "amount": TOTAL_PENCE})
    assert client.post(url, body, "application/json", headers=headers).content == b"paid"
    assert client.post(url, body, "application/json", headers=headers).content == b"replayed"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.filter(status=Status.SUCCEEDED).count() == 1


def test_a_gateway_that_is_down_says_so_and_the_order_stays_payable(with_dummy, order):
    client = client_for(order)
    url = reverse("jsg_privacy:payments:charge", args=[order.reference, "dummy"])

    down = client.post(url, {"token": "dummy_down"})

    assert down.status_code == 502
    assert down.json()["message"] == (
        "The payment service could not be reached. Please try again in a moment."
    )
    assert client.post(url, {"token": "dummy_ok"}).json()["status"] == "succeeded"


def test_misconfigured_gateways_fail_the_checks(with_dummy, settings):
    assert ids(run_checks()) == []

    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE, "shop.payments.NoSuchGateway"]
    assert ids(run_checks()) == ["jsg_privacy.E060"]
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE, "jsg_privacy.payments.base.Payable"]
    assert ids(run_checks()) == ["jsg_privacy.E060"]
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE, DUMMY, DUMMY]
    assert ids(run_checks()) == ["jsg_privacy.E061"]
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = []
    assert ids(run_checks()) == ["jsg_privacy.E064"]
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [STRIPE]
    settings.JSG_PRIVACY_PAYMENT_ADAPTER = "example_shop.orders.models.Order"
    assert ids(run_checks()) == ["jsg_privacy.E063"]


def test_an_undeclared_recipient_and_the_dummy_in_a_deployment_are_reported(with_dummy, settings):
    registry.remove("dummy")
    [warning] = [m for m in run_checks() if m.id == "jsg_privacy.W060"]
    assert "'dummy' sends to the recipient 'dummy', which is not declared" in warning.msg

    deploy = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "jsg_privacy.E065" in deploy


def test_the_dummy_is_refused_with_debug_off_unless_a_test_suite_says_so(
    with_dummy, settings, order
):
    settings.JSG_PRIVACY_DUMMY_GATEWAY = False
    client = client_for(order)
    url = reverse("jsg_privacy:payments:charge", args=[order.reference, "dummy"])

    assert client.post(url, {"token": "dummy_ok"}).status_code == 503
    page = client.get(reverse("jsg_privacy:payments:pay", args=[order.reference]))
    assert "Pay by Test payment" not in page.text  # Stripe alone is offered
    assert not Payment.objects.exists()


def test_gateway_settings_are_their_own_and_the_old_single_setting_is_pointed_out(settings):
    settings.JSG_PRIVACY_PAYMENT_GATEWAY = STRIPE
    unknown = [m for m in run_checks() if m.id == "jsg_privacy.W001"]

    assert [m.msg for m in unknown] == ["JSG_PRIVACY_PAYMENT_GATEWAY is not a jsg_privacy setting."]
    assert unknown[0].hint == "Did you mean JSG_PRIVACY_PAYMENT_GATEWAYS?"
