"""Events that arrive late or at once: an erased customer stays erased, one deletion is one case.

Saleor retries a delivery for hours, so an event issued before a customer's account was deleted
may be delivered after it; on Celery, two events about one customer may be handled at the same
moment by two workers.
"""

import hashlib
import json
import logging
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.db import connection, connections

from jsg_privacy.crypto import subjects
from jsg_privacy.integrations.saleor import events, tasks
from jsg_privacy.integrations.saleor.models import (
    Customer,
    ErasedCustomer,
    Installation,
    Leftover,
)
from jsg_privacy.requests.models import Case, Status
from tests.jsg_privacy.saleor.conftest import event

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]

EMAIL = "ann@example.com"


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def user_event(typename: str, user: dict, issued_at: str, **fields) -> dict:
    return event(
        typename, user={"id": user["id"], "email": user["email"], **fields}, issuedAt=issued_at
    )


def stored_anywhere(*needles: str) -> list[str]:
    """The rows of the app's tables (decrypted) that hold any of ``needles``.

    Leftovers of an erasure are not counted: they hold the address only until the store's
    operator has cleared what Saleor's API cannot (``privacy_saleor_orphans``).
    """
    found = []
    for model in apps.get_app_config("jsg_privacy_saleor").get_models():
        rows = model.objects.all()
        if model is Leftover:
            # Only the staff-side customer events' SQL needs the address; the rest hold Saleor ids.
            assert not rows.exclude(kind=Leftover.Kind.CUSTOMER_EVENTS).exclude(email="").exists()
            continue
        for row in rows:
            text = str({f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields})
            found += [f"{model.__name__}: {n}" for n in needles if n in text]
    return found


@pytest.fixture
def ann(installation, deliver, saleor):
    """Ann, a customer of the store, indexed ten minutes ago."""
    user = saleor.add_user(EMAIL)
    created = user_event("CustomerCreated", user, ago(minutes=10), privateMetafield=None)
    assert deliver(created).status_code == 200
    assert Customer.objects.get().email == EMAIL
    return user


# -- a late event after the customer's deletion ------------------------------------------------


@pytest.mark.parametrize("deletion", ["AccountDeleted", "CustomerDeleted"])
def test_a_customer_update_issued_before_the_deletion_and_delivered_after_it_is_ignored(
    ann, deliver, saleor, caplog, deletion
):
    # She changes her marketing flags in Saleor; the delivery fails and Saleor retries it later.
    flags = json.dumps({"email": True})
    late = user_event("CustomerUpdated", ann, ago(minutes=5), privateMetafield=flags)
    del saleor.users[EMAIL]  # then her account is deleted
    assert deliver(user_event(deletion, ann, ago(minutes=1))).status_code == 200
    assert not Customer.objects.exists()
    calls = len(saleor.calls)
    caplog.set_level(logging.INFO, logger="jsg_privacy.integrations.saleor")

    response = deliver(late)  # Saleor's retry

    assert response.status_code == 200
    assert not Customer.objects.exists()
    assert stored_anywhere(EMAIL, subjects.for_email(EMAIL)) == []
    assert len(saleor.calls) == calls  # no marketing flags written for a deleted user
    ignored = f"Ignored CUSTOMER_UPDATED from {Installation.objects.get().api_url}"
    assert ignored in caplog.text
    assert EMAIL not in caplog.text
    assert ann["id"] not in caplog.text


def test_a_customer_created_delivered_after_their_deletion_does_not_index_them(
    installation, deliver, saleor
):
    """Never indexed: CUSTOMER_CREATED failed, CUSTOMER_DELETED got through first."""
    user = saleor.add_user(EMAIL)
    late = user_event("CustomerCreated", user, ago(minutes=5), privateMetafield=None)
    del saleor.users[EMAIL]
    assert deliver(user_event("CustomerDeleted", user, ago(minutes=1))).status_code == 200

    assert deliver(late).status_code == 200

    assert not Customer.objects.exists()
    assert stored_anywhere(EMAIL, subjects.for_email(EMAIL)) == []


def test_a_late_deletion_request_after_the_erasure_opens_no_case(ann, deliver, saleor, caplog):
    requested = user_event("AccountDeleteRequested", ann, ago(minutes=5))  # delivery fails
    del saleor.users[EMAIL]
    assert deliver(user_event("AccountDeleted", ann, ago(minutes=1))).status_code == 200
    case = Case.objects.get()
    assert case.status == Status.COMPLETED
    caplog.set_level(logging.INFO, logger="jsg_privacy.integrations.saleor")

    assert deliver(requested).status_code == 200  # Saleor's retry

    assert list(Case.objects.all()) == [case]
    assert not Customer.objects.exists()
    assert "Ignored ACCOUNT_DELETE_REQUESTED from" in caplog.text


def test_a_second_account_deletion_of_an_erased_customer_opens_no_case(ann, deliver, saleor):
    first = user_event("AccountDeleted", ann, ago(minutes=1))
    del saleor.users[EMAIL]
    deliver(first)

    # Another delivery of the deletion (another body: not recognised as a retry by its digest).
    assert deliver(first | {"issuedAt": ago(minutes=2)}).status_code == 200

    assert Case.objects.count() == 1
    assert not Customer.objects.exists()


def test_only_a_keyed_hash_of_the_saleor_id_is_recorded(ann, deliver, saleor):
    del saleor.users[EMAIL]
    deleted_at = ago(minutes=1)
    deliver(user_event("AccountDeleted", ann, deleted_at))

    record = ErasedCustomer.objects.get()
    assert record.key == subjects.keyed_hash("saleor_user", ann["id"])
    assert ann["id"] not in str(record.__dict__)
    assert record.erased_at == datetime.fromisoformat(deleted_at)  # Saleor's clock, not ours


# -- records kept only while a late event can arrive -------------------------------------------


def test_records_no_late_event_can_need_are_purged_when_an_event_is_handled(
    installation, deliver, settings
):
    settings.JSG_PRIVACY_SALEOR_DEDUPLICATE_HOURS = 48
    now = datetime.now(UTC)
    for number, age in enumerate((1, 49, 95, 97, 24 * 30)):
        ErasedCustomer.objects.create(
            installation=installation, key=f"k{number}", erased_at=now - timedelta(hours=age)
        )

    deliver(event("CustomerCreated", user={"id": "VXNlcjo5", "email": "bob@example.com"}))

    # An event older than the window is refused; one accepted may wait up to a window more in
    # the queue (retries, the inbox): kept for twice the window.
    assert sorted(ErasedCustomer.objects.values_list("key", flat=True)) == ["k0", "k1", "k2"]


# -- customers never erased --------------------------------------------------------------------


def test_a_customer_never_erased_is_indexed_and_updated_as_before(ann, deliver, saleor):
    bob = saleor.add_user("bob@example.com")
    del saleor.users[EMAIL]
    deliver(user_event("AccountDeleted", ann, ago(minutes=1)))  # someone else is erased

    created = user_event("CustomerCreated", bob, ago(minutes=3), privateMetafield=None)
    assert deliver(created).status_code == 200
    updated = user_event("CustomerUpdated", bob | {"email": "bob@new.example"}, ago(seconds=1))
    assert deliver(updated).status_code == 200

    customer = Customer.objects.get()
    assert (customer.saleor_id, customer.email) == (bob["id"], "bob@new.example")
    assert saleor.mutations("PrivateMetadataUpdate")[-1]["id"] == bob["id"]  # flags written


def test_a_customer_whose_row_expired_is_indexed_again_by_a_later_event(ann, deliver):
    """Retention deletes the row of a customer unchanged for years; she still has her account."""
    Customer.objects.all().delete()  # what the retention engine does, outside any event
    assert ErasedCustomer.objects.count() == 1

    late = user_event("CustomerMetadataUpdated", ann, ago(minutes=5))  # issued before: ignored
    assert deliver(late).status_code == 200
    assert not Customer.objects.exists()

    assert deliver(user_event("CustomerUpdated", ann, ago(seconds=0))).status_code == 200

    assert Customer.objects.get().email == EMAIL


def test_deleting_an_installation_takes_its_customers_and_records(ann, deliver, saleor):
    deliver(user_event("CustomerDeleted", saleor.add_user("bob@example.com"), ago(minutes=1)))
    assert ErasedCustomer.objects.count() == 1

    Installation.objects.all().delete()

    assert not Customer.objects.exists()
    assert not ErasedCustomer.objects.exists()


# -- two deletion events handled at once by two workers -----------------------------------------


@pytest.mark.django_db(transaction=True)  # each worker commits on its own connection
@pytest.mark.parametrize("indexed", [True, False], ids=["indexed", "not-indexed"])
@pytest.mark.parametrize("first", ["AccountDeleteRequested", "AccountDeleted"])
def test_two_deletion_events_handled_at_once_open_one_case(
    installation, saleor, monkeypatch, indexed, first
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "two workers at once need a database with row locks and real concurrency: run with "
            "DATABASE_URL=postgres://... (CI does)"
        )
    from jsg_privacy.requests import cases

    user = saleor.add_user(EMAIL)
    del saleor.users[EMAIL]  # she confirmed: Saleor deleted the account and sent both events
    if indexed:
        Customer.objects.create(
            installation=installation,
            saleor_id=user["id"],
            email=EMAIL,
            updated_at=datetime.now(UTC) - timedelta(days=1),
        )
    payloads = {
        "AccountDeleteRequested": user_event("AccountDeleteRequested", user, ago(minutes=1)),
        "AccountDeleted": user_event("AccountDeleted", user, ago(seconds=1)),
    }
    open_case = cases.open_case

    def slow_open_case(**kwargs):
        time.sleep(0.5)  # the other worker's event arrives meanwhile
        return open_case(**kwargs)

    monkeypatch.setattr(cases, "open_case", slow_open_case)
    errors = []

    def worker(payload):
        try:
            parsed = events.parse(payload)
            digest = hashlib.sha256(json.dumps(payload).encode()).hexdigest()
            tasks.process_event(
                installation.pk, digest, parsed.name, parsed.data, parsed.issued_at.isoformat()
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    second = next(name for name in payloads if name != first)
    threads = [threading.Thread(target=worker, args=(payloads[name],)) for name in (first, second)]
    threads[0].start()
    time.sleep(0.2)  # the first is inside open_case when the second starts
    threads[1].start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    case = Case.objects.get()
    assert case.status == Status.COMPLETED
    assert not Customer.objects.exists()
