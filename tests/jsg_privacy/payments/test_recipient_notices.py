"""Stripe as a recipient (Art. 19) and under a restriction (Art. 18), against localstripe.

An erasure deletes the customer's records at Stripe through its API; a Stripe that is away leaves
the request waiting, with the customer id kept on the notice until the deletion succeeds. While a
payer's processing is restricted, Stripe receives what paying the order needs and nothing more.
"""

import socket
from dataclasses import replace

import pytest
import stripe
from django.core.management import call_command

from jsg_privacy import inventory
from jsg_privacy.payments import gateways, transport
from jsg_privacy.payments.models import Disclosure, Payment
from jsg_privacy.registry import Subject, registry
from jsg_privacy.requests import cases, restriction, service
from jsg_privacy.requests.models import Status
from jsg_privacy.requests.notices import NoticeStatus
from tests.jsg_privacy.payments.conftest import VISA, pay_by_card

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def guest_erasure(email):
    return cases.open_case(
        kind="erasure",
        email=email,
        channel="web_form",
        identity_check="signed link e-mailed to the requester's address",
        address_check="signed link e-mailed to the requester's address",
    )


def test_a_failed_stripe_deletion_keeps_the_id_and_a_retry_deletes_the_customer(
    local_stripe, order, payable, settings
):
    payment, _ = pay_by_card(local_stripe, payable, VISA)
    customer_id = payment.customer_id
    case = guest_erasure(order.email)
    working = settings.JSG_PRIVACY_STRIPE
    settings.JSG_PRIVACY_STRIPE = {**working, "api_base": f"http://127.0.0.1:{closed_port()}"}

    service.run_erasure(case.pk)

    case.refresh_from_db()
    assert case.status == Status.WAITING
    notice = case.recipient_notices.get(recipient="stripe")
    assert (notice.status, notice.event) == (NoticeStatus.FAILED, "erased")
    assert "could not be reached" in notice.error
    assert notice.reference_list() == (f"stripe:{customer_id}",)  # kept for the retry
    payment.refresh_from_db()
    assert payment.customer_id != customer_id  # the erasure cleared it from the payment
    settings.JSG_PRIVACY_STRIPE = working
    assert (
        gateways.get("stripe").client.v1.customers.retrieve(customer_id).id == customer_id
    )  # still there

    call_command("privacy_notify_recipients", "--all")

    with pytest.raises(stripe.InvalidRequestError):
        gateways.get("stripe").client.v1.customers.retrieve(customer_id)
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 2)
    assert notice.result == "1 customer record(s) deleted"
    assert notice.references == ""  # no longer needed, no longer kept
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    # Both attempts are in the disclosure log: it errs on the side of saying a call was made.
    assert Disclosure.objects.filter(operation="customers.delete").count() == 2


def test_an_erasure_tells_stripe_at_once_when_it_answers(local_stripe, order, payable):
    payment, _ = pay_by_card(local_stripe, payable, VISA)
    case = guest_erasure(order.email)

    service.run_erasure(case.pk)

    with pytest.raises(stripe.InvalidRequestError):
        gateways.get("stripe").client.v1.customers.retrieve(payment.customer_id)
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert "Stripe, Inc." in case.outcome["recipients_told"]


@registry.temporarily()
def test_a_restricted_payer_sends_stripe_only_what_the_order_needs(local_stripe, order, payable):
    # Stripe is declared to receive the e-mail address (for receipts) and a metadata field.
    fields = (*inventory.STRIPE.fields, "email", "channel")
    registry.add(replace(inventory.STRIPE, fields=fields))
    payable = replace(payable, metadata={"channel": "web"})
    restriction.restrict(Subject(email=order.email), "accuracy contested")

    with transport.recording() as sent:
        payment, result = pay_by_card(local_stripe, payable, VISA)

    assert result.succeeded  # the order is still paid: that is what the contract needs
    log = list(Disclosure.objects.order_by("pk").values_list("operation", "field_names"))
    assert log == [
        ("customers.create", []),
        ("payment_intents.create", ["amount", "currency", "order_reference"]),
        ("payment_intents.retrieve", []),
        ("payment_methods.retrieve", []),
    ]
    assert order.email not in " ".join(request.body for request in sent)
    customer = gateways.get("stripe").client.v1.customers.retrieve(payment.customer_id)
    assert not customer.email
    assert Payment.objects.get().status == "succeeded"


@registry.temporarily()
def test_an_unrestricted_payer_still_sends_what_is_declared(local_stripe, order, payable):
    registry.add(replace(inventory.STRIPE, fields=(*inventory.STRIPE.fields, "email")))

    pay_by_card(local_stripe, payable, VISA)

    first = Disclosure.objects.order_by("pk").first()
    assert first.field_names == ["email"]
