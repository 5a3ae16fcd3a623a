"""Marketing boxes shown by a Saleor storefront at checkout (or on its account page) reach the
ledger through the checkout's metadata; invalid values are ignored and logged, never consent."""

import json
import logging

import pytest

from jsg_privacy.consent.models import Action, ConsentRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.integrations.saleor import manifest
from jsg_privacy.marketing import api
from tests.jsg_privacy.saleor.conftest import event

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]

GUEST = "guest@example.com"
CHECKOUT = "Q2hlY2tvdXQ6NGY3YQ=="


@pytest.fixture
def boxes(client):
    """What the storefront fetches to render its boxes: wording, versions and the metadata key."""
    response = client.get("/privacy/saleor/choices/", HTTP_ORIGIN="https://store.example.com")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"  # public wording, no personal data
    body = response.json()
    assert body["metadata_key"] == "jsg_privacy.choices"
    return {box["name"]: box for box in body["boxes"]}


def shown(boxes, **ticked):
    """The metadata value a storefront writes: each box shown, ticked or not, with its version."""
    return json.dumps(
        {
            name: {"ticked": value, "version": boxes[name]["version"]}
            for name, value in ticked.items()
        }
    )


def checkout_event(value, typename="CheckoutMetadataUpdated", email=GUEST, **fields):
    return event(
        typename,
        checkout={"id": CHECKOUT, "email": email, "user": None, "choices": value, **fields},
    )


def order_created(choices, checkout_id=None):
    order = {
        "id": "T3JkZXI6OQ==",
        "number": "9",
        "created": "2026-12-07T08:00:00+00:00",
        "userEmail": GUEST,
        "user": None,
        "checkoutId": checkout_id,
        "choices": choices,
    }
    return event("OrderCreated", order=order)


def ledger(email=GUEST):
    rows = ConsentRecord.objects.filter(subject_key=subjects.for_email(email))
    return sorted(rows.values_list("medium", "action", "channel", "version"))


def test_the_manifest_subscribes_to_the_checkout_and_reads_the_boxes(rf):
    request = rf.get("/privacy/saleor/manifest/", HTTP_SALEOR_SCHEMA_VERSION="3.22")
    (webhook,) = manifest.build(request)["webhooks"]
    assert {"CHECKOUT_UPDATED", "CHECKOUT_METADATA_UPDATED", "ORDER_CREATED"} <= set(
        webhook["asyncEvents"]
    )
    assert 'choices: metafield(key: "jsg_privacy.choices")' in webhook["query"]
    assert "checkoutId" in webhook["query"]


def test_a_guest_s_ticked_and_unticked_boxes_land_in_the_ledger(installation, deliver, boxes):
    value = shown(boxes, email=True, sms=False)

    assert deliver(checkout_event(value)).status_code == 200

    assert ledger() == [
        ("email", Action.GIVEN, "checkout", boxes["email"]["version"]),
        ("sms", Action.REFUSED, "checkout", boxes["sms"]["version"]),
    ]
    assert api.may_contact(email=GUEST, medium="email")
    assert not api.may_contact(email=GUEST, medium="sms")


def test_the_same_boxes_sent_again_and_copied_to_the_order_are_recorded_once(
    installation, deliver, boxes
):
    value = shown(boxes, email=True, sms=False)
    deliver(checkout_event(value))
    deliver(checkout_event(value, typename="CheckoutUpdated"))  # the shipping method changed
    # Saleor copies the checkout's metadata to its order.
    assert deliver(order_created(value, checkout_id=CHECKOUT)).status_code == 200

    assert len(ledger()) == 2


def test_a_changed_box_at_the_same_checkout_is_recorded(installation, deliver, boxes):
    deliver(checkout_event(shown(boxes, email=False)))
    deliver(checkout_event(shown(boxes, email=True)))

    assert [action for _, action, _, _ in ledger()] == [Action.GIVEN, Action.REFUSED]


def test_an_unticked_box_at_checkout_does_not_withdraw_an_earlier_consent(
    installation, deliver, boxes
):
    api.record_choices({"email": True}, email=GUEST)
    before = ledger()

    deliver(checkout_event(shown(boxes, email=False)))

    assert ledger() == before  # no refusal recorded over a consent that stands
    assert api.may_contact(email=GUEST, medium="email")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("yes please", "not JSON"),
        ('["email"]', "not a JSON object"),
        ('{"email": "true"}', "has no ticked true or false"),
        ('{"email": {"ticked": 1, "version": "x"}}', "has no ticked true or false"),
        ('{"email": {"ticked": true, "version": "an-old-wording"}}', "another wording"),
        ('{"carrier_pigeon": {"ticked": true, "version": "x"}}', "not one of the shop's boxes"),
    ],
)
def test_an_invalid_value_is_ignored_and_logged_never_consent(
    installation, deliver, caplog, value, reason
):
    caplog.set_level(logging.WARNING, logger="jsg_privacy.integrations.saleor")

    assert deliver(checkout_event(value)).status_code == 200

    assert ledger() == []
    assert not api.may_contact(email=GUEST, medium="email")
    assert reason in caplog.text
    assert "CHECKOUT_METADATA_UPDATED" in caplog.text
    assert GUEST not in caplog.text


def test_a_value_that_is_not_text_is_ignored_and_the_order_still_recorded(
    installation, deliver, caplog
):
    from jsg_privacy.integrations.saleor.models import Order

    assert deliver(order_created({"email": True})).status_code == 200

    assert Order.objects.filter(number="9").exists()
    assert ledger() == []
    assert "not JSON" in caplog.text


def test_the_account_page_withdraws_through_the_customer_s_metadata(
    installation, deliver, saleor, boxes
):
    user = saleor.add_user(GUEST)
    api.record_choices({"email": True}, email=GUEST)

    value = shown(boxes, email=False)
    payload = event(
        "CustomerMetadataUpdated", user={"id": user["id"], "email": GUEST, "choices": value}
    )
    assert deliver(payload).status_code == 200

    assert not api.may_contact(email=GUEST, medium="email")
    assert ("email", Action.WITHDRAWN, "preferences", boxes["email"]["version"]) in ledger()
    # The store's copy of the flags follows (written to the customer's private metadata).
    written = saleor.mutations("PrivateMetadataUpdate")[-1]["input"][0]
    assert json.loads(written["value"])["email"] is False


def test_with_double_opt_in_and_no_base_url_nothing_is_recorded_and_the_check_says_why(
    installation, deliver, boxes, settings
):
    from django.core.checks import run_checks

    settings.JSG_PRIVACY_MARKETING_DOUBLE_OPT_IN = True
    settings.JSG_PRIVACY_SALEOR_BASE_URL = ""

    deliver(checkout_event(shown(boxes, email=True)))

    assert ledger() == []
    assert "jsg_privacy_saleor.W010" in [message.id for message in run_checks()]
