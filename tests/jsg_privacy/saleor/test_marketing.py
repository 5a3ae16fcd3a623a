"""Marketing choices reach the customer's privateMetadata, under a key other apps can read."""

import json

import pytest

from jsg_privacy.integrations.saleor.models import Customer
from jsg_privacy.marketing import api as marketing
from tests.jsg_privacy.saleor.conftest import event

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]

EMAIL = "ann@example.com"
KEY = "jsg_privacy.marketing"


def flags_in(saleor, email=EMAIL):
    items = {m["key"]: m["value"] for m in saleor.users[email]["privateMetadata"]}
    return json.loads(items[KEY]) if KEY in items else None


@pytest.fixture
def indexed(installation, deliver, saleor):
    user = saleor.add_user(EMAIL)
    payload = event(
        "CustomerCreated", user={"id": user["id"], "email": EMAIL, "privateMetafield": None}
    )
    assert deliver(payload).status_code == 200
    return user


def test_a_new_customer_gets_their_flags(indexed, saleor):
    assert Customer.objects.get().email == EMAIL
    assert flags_in(saleor) == {
        "email": False,
        "sms": False,
        "phone": False,
        "post": False,
        "partners": False,
        "testimonials": False,
    }


def test_a_choice_made_in_the_shop_is_written_to_saleor(
    indexed, saleor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        marketing.record_choices({"email": True, "sms": False}, email=EMAIL)

    assert flags_in(saleor)["email"] is True

    with django_capture_on_commit_callbacks(execute=True):
        marketing.suppress(EMAIL, "email")

    assert flags_in(saleor)["email"] is False  # suppressed: no longer allowed


def test_an_update_with_the_same_flags_writes_nothing(indexed, deliver, saleor):
    writes = len(saleor.mutations("PrivateMetadataUpdate"))
    current = {m["key"]: m["value"] for m in saleor.users[EMAIL]["privateMetadata"]}[KEY]

    payload = event(
        "CustomerUpdated", user={"id": indexed["id"], "email": EMAIL, "privateMetafield": current}
    )
    deliver(payload)

    assert len(saleor.mutations("PrivateMetadataUpdate")) == writes  # no echo loop


def test_a_changed_address_moves_the_index_and_an_older_event_does_not_undo_it(indexed, deliver):
    from datetime import UTC, datetime, timedelta

    minute_ago = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    deliver(event("CustomerUpdated", user={"id": indexed["id"], "email": "ann@new.example"}))

    late = event(
        "CustomerMetadataUpdated", user={"id": indexed["id"], "email": EMAIL}, issuedAt=minute_ago
    )
    assert deliver(late).status_code == 200

    assert Customer.objects.get().email == "ann@new.example"


def test_customer_deleted_removes_the_index_entry(indexed, deliver):
    deliver(event("CustomerDeleted", user={"id": indexed["id"], "email": EMAIL}))

    assert not Customer.objects.exists()


def test_choices_of_people_without_a_saleor_account_call_nobody(
    installation, saleor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        marketing.record_choices({"email": True}, email="walk-in@example.com")

    assert saleor.calls == [("AppId", {})]


def test_a_choice_made_while_saleor_is_away_is_still_saved(
    indexed, saleor, settings, django_capture_on_commit_callbacks, caplog
):
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 0.2
    saleor.delay = 1

    with django_capture_on_commit_callbacks(execute=True):
        outcome = marketing.record_choices({"email": True}, email=EMAIL)

    assert outcome.given == ["email"]
    assert marketing.may_contact(email=EMAIL)
    assert "Writing marketing flags to Saleor failed" in caplog.text
    assert EMAIL not in caplog.text
