"""A customer deletes their Saleor account: an erasure case, then what Saleor keeps is erased."""

import json
import logging

import pytest

from example_shop.enquiries.models import Enquiry
from example_shop.factories import EnquiryFactory
from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.integrations.saleor.erasure import ERASED, pseudonym
from jsg_privacy.integrations.saleor.models import Customer, Delivery, Installation, Order
from jsg_privacy.marketing import wording
from jsg_privacy.requests.models import Case, CaseEvent, Channel, Kind, Status
from tests.jsg_privacy.saleor.conftest import event
from tests.jsg_privacy.saleor.fake_saleor import metadata

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]

EMAIL = "ann@example.com"
DELETION_TOKEN = "cdo5x3-2f1e0b7c8d9a6b5c4d3e2f1a0b9c8d7e"


@pytest.fixture
def customer(saleor):
    """A customer with an order, a guest checkout, a gift card and private metadata."""
    user = saleor.add_user(EMAIL)
    order = saleor.add_order(
        EMAIL,
        privateMetadata=metadata(**{"crm.note": "VIP, calls evenings", "payments.ref": "pi_1"}),
    )
    saleor.add_checkout(EMAIL, guest=True)
    saleor.add_checkout("bob@example.com", guest=True)
    saleor.add_gift_card(EMAIL)
    return user, order


def test_the_full_account_deletion_flow(installation, deliver, saleor, customer, caplog):
    user, order = customer
    EnquiryFactory(email=EMAIL)  # the shop's own data about her goes too
    caplog.set_level(logging.DEBUG)

    # 1. She asks Saleor to delete her account. The payload would carry the token only if the
    # subscription asked for it; even then it is neither logged nor stored.
    requested = event(
        "AccountDeleteRequested", user={"id": user["id"], "email": EMAIL}, token=DELETION_TOKEN
    )
    assert deliver(requested).status_code == 200

    case = Case.objects.get()
    assert (case.kind, case.channel, case.status) == (
        Kind.ERASURE,
        Channel.SALEOR,
        Status.UNVERIFIED,
    )
    assert case.email == EMAIL
    assert Customer.objects.get().erasure_case == case

    # 2. She confirms through Saleor's e-mailed link; Saleor deletes the account, then tells us.
    del saleor.users[EMAIL]
    deleted = event("AccountDeleted", user={"id": user["id"], "email": EMAIL})
    assert deliver(deleted).status_code == 200

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.identity_check.startswith("confirmed through the one-time link")
    # The order's copies were pseudonymised through orderUpdate; tax fields stay under the hold.
    (update,) = saleor.mutations("OrderPseudonymise")
    assert update["id"] == order["id"]
    assert update["input"]["userEmail"] == pseudonym(EMAIL)
    billing = update["input"]["billingAddress"]
    assert billing["firstName"] == billing["lastName"] == billing["streetAddress1"] == ERASED
    assert billing["phone"] == ""
    assert billing["streetAddress2"] == ""
    assert (billing["companyName"], billing["city"], billing["postalCode"], billing["country"]) == (
        "Ann Ltd",
        "Leeds",
        "LS1 1AA",
        "GB",
    )
    stored = saleor.orders[order["id"]]
    assert stored["userEmail"].endswith("@erased.invalid")
    assert stored["total"] == order["total"]
    assert stored["lines"] == order["lines"]
    # Private metadata removed, but the keys other apps need and that hold no personal data.
    assert saleor.mutations("PrivateMetadataDelete") == [{"id": order["id"], "keys": ["crm.note"]}]
    assert stored["privateMetadata"] == metadata(**{"payments.ref": "pi_1"})
    # Her guest checkout is deleted; another customer's is not.
    assert [c["email"] for c in saleor.checkouts.values()] == ["bob@example.com"]
    # The gift card is a record of a sale: kept.
    assert len(saleor.gift_cards) == 1
    # Recorded on the case: what changed in Saleor, and what was kept and why.
    assert len(case.outcome["saleor"]) == 4
    assert "1 Saleor order(s) pseudonymised" in case.outcome["saleor"][0]
    assert "postalCode" in case.outcome["saleor"][0]
    # Saleor's API cannot change the order's "e-mail sent to …" event: the operator's SQL can.
    assert "privacy_saleor_orphans" in case.outcome["saleor"][1]
    assert case.outcome["saleor"][2] == "1 Saleor checkout(s) deleted."
    assert case.outcome["saleor"][3] == (
        "1 Saleor gift card(s) kept unchanged under the legal hold (7 years after purchase): "
        "a gift card is a record of a sale."
    )
    steps = {step["source"]: step for step in case.outcome["steps"]}
    assert steps["saleor.orders"]["rows"] == 1
    assert steps["enquiries.Enquiry"]["deleted"] == 1
    assert CaseEvent.objects.filter(case=case, action="erased in Saleor").exists()
    assert not Enquiry.objects.exists()
    assert not Customer.objects.exists()
    # The deletion token is nowhere.
    assert DELETION_TOKEN not in caplog.text
    for row in (*Case.objects.values(), *CaseEvent.objects.values(), *Delivery.objects.values()):
        assert DELETION_TOKEN not in str(row)


def test_a_deletion_nobody_announced_still_opens_and_runs_a_case(
    installation, deliver, saleor, customer
):
    user, order = customer
    del saleor.users[EMAIL]

    assert (
        deliver(event("AccountDeleted", user={"id": user["id"], "email": EMAIL})).status_code == 200
    )

    case = Case.objects.get()
    assert case.status == Status.COMPLETED
    assert case.channel == Channel.SALEOR
    assert saleor.orders[order["id"]]["userEmail"] == pseudonym(EMAIL)


def test_asking_twice_opens_one_case(installation, deliver, customer):
    user, _ = customer
    for _ in range(2):
        deliver(event("AccountDeleteRequested", user={"id": user["id"], "email": EMAIL}))

    assert Case.objects.count() == 1


def test_erasing_again_changes_nothing_more(installation, deliver, saleor, customer):
    user, _ = customer
    del saleor.users[EMAIL]
    deliver(event("AccountDeleted", user={"id": user["id"], "email": EMAIL}))

    deliver(event("AccountDeleted", user={"id": user["id"], "email": EMAIL}))  # a later event

    assert len(saleor.mutations("OrderPseudonymise")) == 1  # pseudonymised orders no longer match


def test_an_erasure_case_from_the_shop_deletes_the_saleor_account_too(
    installation, saleor, customer
):
    from jsg_privacy.requests import cases, service

    case = cases.open_case(
        kind=Kind.ERASURE,
        email=EMAIL,
        channel=Channel.STAFF,
        identity_check="id seen",
        address_check="replied to the address",
    )

    service.run_erasure(case.pk)

    assert EMAIL not in saleor.users
    assert saleor.mutations("CustomerDelete") == [{"id": customer[0]["id"]}]
    assert len(saleor.mutations("OrderPseudonymise")) == 1


def test_a_saleor_without_checkout_delete_pseudonymises_checkouts_until_they_expire(
    installation, deliver, saleor, customer
):
    # Found on a real Saleor 3.22.67: it has no checkoutDelete, and the erased customer's guest
    # checkouts kept her address, name, street and phone until Saleor expired them (30 days).
    saleor.has_checkout_delete = False  # Saleor 3.22
    user, _ = customer
    del saleor.users[EMAIL]

    deliver(event("AccountDeleted", user={"id": user["id"], "email": EMAIL}))

    case = Case.objects.get()
    assert case.status == Status.COMPLETED
    assert any("1 Saleor checkout(s) pseudonymised" in note for note in case.outcome["saleor"])
    hers, bobs = sorted(saleor.checkouts.values(), key=lambda c: c["id"])
    assert hers["email"] == pseudonym(EMAIL)  # the pseudonym her orders carry
    assert hers["billingAddress"]["firstName"] == "[erased]"
    assert hers["billingAddress"]["streetAddress1"] == "[erased]"
    assert "Leeds" not in hers["billingAddress"].values()  # nothing kept: a checkout is no sale
    assert "LS1 1AA" not in hers["billingAddress"].values()
    assert hers["billingAddress"]["country"] == {"code": "GB"}
    assert bobs["email"] == "bob@example.com"  # someone else's: untouched
    assert bobs["billingAddress"]["firstName"] == "Ann"

    # Saleor then sends CHECKOUT_UPDATED for the pseudonymised checkout, with the boxes its
    # storefront wrote: they are nobody's choice, and are not recorded.
    boxes = {
        b.name: {"ticked": True, "version": b.version} for b in wording.boxes(testimonials=True)
    }
    pseudonymised = event(
        "CheckoutUpdated",
        checkout={
            "id": hers["id"],
            "email": hers["email"],
            "user": None,
            "choices": json.dumps(boxes),
        },
    )
    assert deliver(pseudonymised).status_code == 200
    assert not ConsentRecord.objects.filter(channel="checkout").exists()


def test_order_created_starts_the_legal_hold_and_its_end_clears_the_order_in_saleor(
    installation, deliver, saleor, customer, settings, django_capture_on_commit_callbacks
):
    from datetime import UTC, datetime

    from jsg_privacy.retention import engine

    _, order = customer
    payload = event(
        "OrderCreated",
        order={
            "id": order["id"],
            "number": order["number"],
            "created": order["created"],
            "userEmail": EMAIL,
            "user": None,
        },
    )
    deliver(payload)
    record = Order.objects.get()
    assert record.created_at == datetime(2026, 3, 1, 9, tzinfo=UTC)

    assert engine.enforce(now=datetime(2031, 1, 1, tzinfo=UTC)).status != "failed"
    assert Order.objects.exists()  # still under the seven-year hold

    with django_capture_on_commit_callbacks(execute=True):
        engine.enforce(now=datetime(2033, 3, 2, tzinfo=UTC))

    assert not Order.objects.exists()
    (update,) = saleor.mutations("OrderPseudonymise")
    billing = update["input"]["billingAddress"]
    assert billing["companyName"] == ""
    assert billing["city"] == billing["postalCode"] == ERASED
    assert billing["country"] == "GB"


def test_an_order_whose_hold_ends_while_the_store_is_away_is_cleared_after_the_next_event(
    installation, deliver, saleor, customer, settings, django_capture_on_commit_callbacks
):
    from datetime import UTC, datetime

    from jsg_privacy.integrations.saleor.models import OrderClearance
    from jsg_privacy.retention import engine

    _, order = customer
    fields = {k: order[k] for k in ("id", "number", "created")}
    deliver(event("OrderCreated", order={**fields, "userEmail": EMAIL, "user": None}))
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 0.2
    saleor.delay = 1

    with django_capture_on_commit_callbacks(execute=True):
        engine.enforce(now=datetime(2033, 3, 2, tzinfo=UTC))  # the store does not answer

    assert not Order.objects.exists()
    assert OrderClearance.objects.count() == 1  # not forgotten
    saleor.delay = 0

    deliver(event("CustomerDeleted", user={"id": "VXNlcjo5", "email": "bob@example.com"}))

    assert not OrderClearance.objects.exists()
    assert saleor.orders[order["id"]]["billingAddress"]["companyName"] == ""


def test_deleting_an_installation_takes_its_records_and_calls_nobody(installation, deliver, saleor):
    from jsg_privacy.integrations.saleor.models import Installation, OrderClearance

    deliver(
        event(
            "OrderCreated",
            order={
                "id": "T3JkZXI6OQ==",
                "number": "9",
                "created": "2026-01-01T00:00:00+00:00",
                "userEmail": EMAIL,
                "user": None,
            },
        )
    )
    calls = len(saleor.calls)

    Installation.objects.all().delete()

    assert not Order.objects.exists()
    assert not OrderClearance.objects.exists()
    assert len(saleor.calls) == calls


def test_on_a_3_22_store_the_case_says_guest_checkouts_could_not_be_searched(
    installation, deliver, saleor, customer
):
    """Saleor 3.22 searches checkouts by the signed-in customer's e-mail only, not a guest's."""
    Installation.objects.update(schema_version="3.22")
    saleor.has_checkout_delete = False
    user, _ = customer
    del saleor.users[EMAIL]

    deliver(event("AccountDeleted", user={"id": user["id"], "email": EMAIL}))

    notes = " ".join(Case.objects.get().outcome["saleor"])
    assert "may be incomplete: this version of our store cannot search a guest's older" in notes
    assert "Nothing of this customer was left" not in notes


def test_the_store_s_schema_version_is_kept_from_its_registration(installation):
    assert installation.schema_version == "3.23"
    assert installation.version == (3, 23)
    assert Installation(schema_version="").version is None
    assert Installation(schema_version="3.22.67").version == (3, 22)
