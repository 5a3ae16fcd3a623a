"""The outbound allowlist and the disclosure log: declared fields only, names logged, never values;
payments and the log in the registry, the export and erasure, and the Art. 19 deletion at Stripe."""

import json
import zipfile
from dataclasses import replace

import pytest
import stripe

from jsg_privacy import inventory
from jsg_privacy.crypto import subjects
from jsg_privacy.flows import erase, export
from jsg_privacy.notifiers import Event, Notice, notifier_for
from jsg_privacy.payments import charges, gateways, outbound, transport
from jsg_privacy.payments.models import Disclosure, Payment
from jsg_privacy.payments.sources import DisclosureSource, PaymentSource
from jsg_privacy.registry import LegalHold, Subject, registry
from jsg_privacy.registry.checks import check_registry
from tests.jsg_privacy.payments.conftest import VISA, pay_by_card

pytestmark = pytest.mark.django_db


def test_a_declared_field_is_sent_and_logged_by_name_only():
    sent = outbound.send(
        "stripe",
        inventory.PROVIDE_SERVICE,
        "a" * 64,
        {"amount": 25800, "currency": "gbp", "order_reference": "JSG-000042"},
        operation="payment_intents.create",
        transmit=lambda fields: fields,
    )

    assert sent == {"amount": 25800, "currency": "gbp", "order_reference": "JSG-000042"}
    disclosure = Disclosure.objects.get()
    assert disclosure.recipient == "stripe"
    assert disclosure.purpose == "provide_service"
    assert disclosure.operation == "payment_intents.create"
    assert disclosure.field_names == ["amount", "currency", "order_reference"]
    assert disclosure.subject_key == "a" * 64
    assert disclosure.created_at is not None
    row = json.dumps(list(Disclosure.objects.values()), default=str)
    assert "25800" not in row
    assert "JSG-000042" not in row


@pytest.mark.parametrize(
    ("fields", "purpose"),
    [
        ({"amount": 1, "email": "amelia@example.co.uk"}, inventory.PROVIDE_SERVICE),
        ({"amount": 1, "billing_postcode": "SS14 3AE"}, inventory.PROVIDE_SERVICE),
        ({"amount": 1}, inventory.MARKETING_CONSENT),
    ],
    ids=["e-mail not declared", "postcode not declared", "purpose not declared"],
)
def test_anything_undeclared_is_refused_unsent_and_unlogged(fields, purpose):
    transmitted = []

    with pytest.raises(outbound.UndeclaredDisclosure):
        outbound.send("stripe", purpose, "k", fields, operation="x", transmit=transmitted.append)

    assert transmitted == []
    assert not Disclosure.objects.exists()


@registry.temporarily()
def test_without_the_recipient_declared_the_gateway_sends_nothing(local_stripe, payable):
    registry.remove("stripe")

    with transport.recording() as sent, pytest.raises(outbound.UndeclaredDisclosure) as error:
        charges.prepare(payable, gateways.get("stripe"))

    assert "privacy.add(inventory.STRIPE)" in str(error.value)
    assert sent == []
    assert not Disclosure.objects.exists()


@registry.temporarily()
def test_the_e_mail_goes_to_stripe_only_when_a_declaration_says_so(local_stripe, order, payable):
    registry.add(replace(inventory.STRIPE, fields=(*inventory.STRIPE.fields, "email")))

    with transport.recording() as sent:
        payment, _ = pay_by_card(local_stripe, payable, VISA)

    customer = gateways.get("stripe").client.v1.customers.retrieve(payment.customer_id)
    assert customer.email == order.email
    assert "email=" in sent[0].body
    first = Disclosure.objects.order_by("pk").first()
    assert first.field_names == ["email"]


def test_every_call_of_a_payment_is_logged_under_the_payers_key(local_stripe, order, payable):
    payment, _ = pay_by_card(local_stripe, payable, VISA)

    log = list(Disclosure.objects.order_by("pk").values_list("operation", "field_names"))
    assert log == [
        ("customers.create", []),
        ("payment_intents.create", ["amount", "currency", "order_reference"]),
        ("payment_intents.retrieve", []),  # after the browser confirmed it
        ("payment_methods.retrieve", []),  # brand, last four and expiry
    ]
    assert set(Disclosure.objects.values_list("subject_key", flat=True)) == {
        subjects.for_email(order.email)
    }
    assert payment.subject_key == subjects.for_email(order.email)


def test_payments_and_the_log_are_declared_sources_and_the_checks_pass():
    payments = registry.sources["jsg_privacy.Payment"]
    log = registry.sources["jsg_privacy.Disclosure"]
    assert isinstance(payments, PaymentSource)
    assert isinstance(log, DisclosureSource)
    assert "stripe" in registry.recipients
    stripe_recipient = registry.recipients["stripe"]
    assert (stripe_recipient.country, str(stripe_recipient.safeguard)) == ("US", "dpf")
    assert isinstance(payments.erasure, LegalHold)
    assert payments.erasure.period.years == 7
    assert {"brand", "last4", "amount", "created_at"} <= set(payments.export_fields())
    ours = ("jsg_privacy.Payment", "jsg_privacy.Disclosure", "jsg_privacy.WebhookEvent", "Stripe")
    problems = [str(m) for m in check_registry(registry) if any(w in str(m) for w in ours)]
    assert problems == []


def test_the_export_holds_the_payment_and_the_disclosures_but_no_values(
    local_stripe, order, payable, tmp_path
):
    pay_by_card(local_stripe, payable, VISA)
    subject = Subject(email=order.email)

    path = tmp_path / "export.zip"
    export.export(subject, path)
    text = zipfile.ZipFile(path).read("data.json").decode()
    data = json.loads(text)

    payments = next(s for s in data["sources"] if s["key"] == "jsg_privacy.Payment")["records"]
    assert len(payments) == 1
    assert {k: payments[0][k] for k in ("brand", "last4", "amount", "currency", "status")} == {
        "brand": "Visa",
        "last4": "4242",
        "amount": "258.00",  # stored in pence, exported in pounds like every amount
        "currency": "gbp",
        "status": "succeeded",
    }
    assert payments[0]["gateway"] == "stripe"
    assert payments[0]["customer_id"].startswith("cus_")  # the token Stripe keeps of the payer
    operations = [d["operation"] for d in data["disclosures"]]
    assert operations == [
        "customers.create",
        "payment_intents.create",
        "payment_intents.retrieve",
        "payment_methods.retrieve",
    ]
    assert all(d["recipient"] == "stripe" for d in data["disclosures"])
    assert "pm_" not in text
    assert "secret" not in text


def stripe_notice(subject, references):
    stripe_declared = registry.recipients["stripe"]
    return Notice(
        Event.ERASED,
        stripe_declared,
        "DSR-TEST",
        subject_key=subjects.for_email(subject.email),
        references=references,
    )


def test_erasure_deletes_the_stripe_customer_records_it_and_holds_the_payment(
    local_stripe, order, payable
):
    payment, _ = pay_by_card(local_stripe, payable, VISA)
    subject = Subject(email=order.email)
    notifier = notifier_for(registry.recipients["stripe"])

    references = notifier.collect(subject)  # before the erasure, which clears them
    assert references == (f"stripe:{payment.customer_id}",)
    assert notifier.send(stripe_notice(subject, references)) == "1 customer record(s) deleted"

    with pytest.raises(stripe.InvalidRequestError):
        gateways.get("stripe").client.v1.customers.retrieve(payment.customer_id)
    deletion = Disclosure.objects.get(operation="customers.delete")
    assert (deletion.purpose, deletion.field_names) == ("erasure", [])
    assert deletion.subject_key == subjects.for_email(order.email)
    again = notifier.send(stripe_notice(subject, references))  # a retry: already gone is done
    assert again == "0 customer record(s) deleted, 1 already gone"

    erase.erase(subject)

    payment.refresh_from_db()
    assert (payment.brand, payment.last4, payment.amount, payment.intent_id) == (
        "Visa",
        "4242",
        25800,
        payment.intent_id,
    )
    assert not payment.customer_id.startswith("cus_")
    assert payment.subject_key != subjects.for_email(order.email)
    assert payment.exp_month is None
    assert not PaymentSource(Payment).rows_for(subject).exists()
    assert (
        notifier.collect(subject) == ()
    )  # after erasure nothing finds them: the notice keeps them
    assert Disclosure.objects.filter(operation="customers.delete").count() == 2  # the log stays


def test_a_subject_without_card_payments_has_no_customer_to_delete():
    notifier = notifier_for(registry.recipients["stripe"])
    subject = Subject(email="nobody@example.org")
    assert notifier.collect(subject) == ()
    assert notifier.send(stripe_notice(subject, ())) == "no customer record to delete"
