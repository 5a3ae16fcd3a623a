"""A person is found in Saleor by every address they had and by their user id, checkouts without
waiting for Saleor's indexing; what the API cannot clear is handed to the operator as SQL."""

import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection

from jsg_privacy.integrations.saleor import sources
from jsg_privacy.integrations.saleor.erasure import pseudonym
from jsg_privacy.integrations.saleor.models import CustomerEmail, Installation, Leftover
from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import Case, CaseEvent, Channel, Kind, Status
from tests.jsg_privacy.saleor.conftest import event, export_of

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]

OLD = "ann.old@example.com"
NEW = "ann@example.com"
TODAY = datetime.now(UTC).isoformat()


def user_event(typename, user, **fields):
    return event(typename, user={"id": user["id"], "email": user["email"]}, **fields)


def order_event(order):
    return event(
        "OrderCreated",
        order={
            "id": order["id"],
            "number": order["number"],
            "created": order["created"],
            "userEmail": order["userEmail"],
            "user": order["user"],
        },
    )


@pytest.fixture
def ann(installation, deliver, saleor):
    """Ann signed up as OLD, ordered (with a note about her neighbour), then changed to NEW and
    ordered again; she left a guest checkout under OLD that Saleor's indexing has not reached."""
    user = saleor.add_user(OLD)
    assert deliver(user_event("CustomerCreated", user, privateMetafield=None)).status_code == 200
    first = saleor.add_order(OLD, customerNote="Leave it with Mrs Patel at no. 4")
    deliver(order_event(first))
    saleor.change_email(OLD, NEW)
    deliver(user_event("CustomerUpdated", user, privateMetafield=None))
    second = saleor.add_order(NEW)
    deliver(order_event(second))
    saleor.add_checkout(OLD, guest=True, indexed=False, updated=TODAY)
    saleor.add_checkout("bob@example.com", guest=True, indexed=False, updated=TODAY)
    return user, first, second


def test_the_address_history_keeps_every_address_the_customer_had(ann):
    user, _, _ = ann
    assert sorted(CustomerEmail.objects.values_list("email", flat=True)) == sorted([NEW, OLD])
    assert set(CustomerEmail.objects.values_list("saleor_id", flat=True)) == {user["id"]}


def test_the_export_finds_orders_under_every_address_and_what_each_order_holds(ann):
    _, first, second = ann

    case, found, _ = export_of(NEW)

    assert case.status == Status.COMPLETED
    orders = {o["number"]: o for o in found["saleor.orders"]}
    assert set(orders) == {first["number"], second["number"]}
    old = orders[first["number"]]
    assert old["email"] == OLD
    assert old["customer_note"] == "Leave it with Mrs Patel at no. 4"
    assert any(f"EMAIL_SENT {OLD}" in line for line in old["events"])
    assert old["invoices"] == [
        f"INV-1 {first['created']} {first['invoices'][0]['url']}",
    ]
    payment, transaction = old["payments"]
    assert "mirumee.payments.dummy" in payment
    assert "psp_1" in payment
    assert "129.99 GBP" in payment
    assert "Stripe pi_1" in transaction
    assert "charged 129.99 GBP" in transaction
    # No card data: Saleor would give the brand and last digits to who asks; the app never asks.
    payments = json.dumps([order["payments"] for order in found["saleor.orders"]])
    assert "4242" not in payments  # (anywhere else it could be a timestamp's microseconds)
    assert "lastDigits" not in json.dumps(found)
    assert "visa" not in json.dumps(found)
    (profile,) = found["saleor.customer"]
    assert profile["events"] == ["2025-01-10T10:00:00+00:00 ACCOUNT_CREATED"]
    assert sorted(r["email"] for r in found["jsg_privacy_saleor.CustomerEmail"]) == sorted(
        [NEW, OLD]
    )
    # The guest checkout Saleor's search cannot find yet is read directly; Bob's is not hers.
    (checkout,) = found["saleor.checkouts"]
    assert checkout["email"] == OLD
    assert "saleor.checkouts" not in found["missing"]


def test_an_export_under_the_old_address_finds_the_new_one_s_orders_too(ann):
    _, first, second = ann

    _, found, _ = export_of(OLD)

    assert {o["number"] for o in found["saleor.orders"]} == {first["number"], second["number"]}


def test_orders_placed_before_the_app_knew_the_customer_are_found_by_user_id(installation, saleor):
    """No webhook told the app of her old address: Saleor's account links the orders."""
    user = saleor.add_user(OLD)
    earlier = saleor.add_order(OLD)
    saleor.change_email(OLD, NEW)
    assert earlier["user"] == {"id": user["id"]}

    _, found, _ = export_of(NEW)

    assert [o["number"] for o in found["saleor.orders"]] == [earlier["number"]]


def test_changed_address_then_deleted_account_pseudonymises_every_order_and_checkout(
    ann, deliver, saleor
):
    user, first, second = ann
    saleor.add_checkout(NEW, guest=False, updated=TODAY)  # signed in: goes with the account
    deliver(user_event("AccountDeleteRequested", user))
    saleor.delete_user(user["id"])  # she confirms; Saleor deletes the account

    assert deliver(user_event("AccountDeleted", user)).status_code == 200

    case = Case.objects.get()
    assert case.status == Status.COMPLETED
    for order in (first, second):
        stored = saleor.orders[order["id"]]
        assert stored["userEmail"] == pseudonym(NEW)  # one pseudonym: her orders stay together
        assert stored["shippingAddress"]["streetAddress1"] == "[erased]"
    assert [c["email"] for c in saleor.checkouts.values()] == ["bob@example.com"]
    assert not CustomerEmail.objects.exists()
    notes = " ".join(case.outcome["saleor"])
    assert "2 Saleor order(s) pseudonymised" in notes
    assert "privacy_saleor_orphans" in notes
    assert "1 Saleor checkout(s) deleted." in notes
    kinds = sorted(Leftover.objects.values_list("kind", flat=True))
    # Her unlinked addresses, the note, two "e-mail sent" events, staff events under both addresses.
    assert (
        kinds
        == ["address", "customer_events", "customer_events", "customer_note"] + ["order_event"] * 2
    )


def test_the_orphans_command_clears_what_the_api_allows_and_prints_sql_for_the_rest(
    ann, deliver, saleor, capsys
):
    user, _, _ = ann
    deliver(user_event("AccountDeleteRequested", user))
    saleor.delete_user(user["id"])
    deliver(user_event("AccountDeleted", user))

    call_command("privacy_saleor_orphans")
    listed = capsys.readouterr().out
    assert "1 order's customer note" in listed
    assert "2 order event or note" in listed
    assert OLD not in listed
    assert NEW not in listed

    call_command("privacy_saleor_orphans", "--clear")
    out = capsys.readouterr().out
    # The order's primary key from its global id (a UUID in Saleor; "Order:1" in the fake store).
    assert "customer_note = '' WHERE id IN ('1');" in out
    assert "UPDATE order_orderevent SET parameters = parameters - 'email' - 'message' " in out
    assert "WHERE id IN (12, 22);" in out
    assert f"'{OLD}'" in out
    assert f"'{NEW}'" in out
    assert "DELETE FROM account_address a" in out  # the addresses Saleor kept, unlinked
    assert out.count("BEGIN;") == 1
    assert Leftover.objects.filter(sql_given_at__isnull=True).count() == 0  # recorded as given

    call_command("privacy_saleor_orphans", "--done")
    assert not Leftover.objects.exists()
    assert "Nothing of an erased customer is left" in capsys.readouterr().out


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Saleor's database is PostgreSQL: the SQL is its"
)
def test_the_printed_sql_takes_the_note_out_of_saleors_order_search_too(
    ann, deliver, saleor, capsys
):
    # Found on a real Saleor 3.23: the order's search index (search_vector) holds the customer
    # note's words, so clearing the note alone left "Patel" finding the erased order in the
    # dashboard's order search. The statement runs here on a table shaped like Saleor's.
    user, _, _ = ann
    deliver(user_event("AccountDeleteRequested", user))
    saleor.delete_user(user["id"])
    deliver(user_event("AccountDeleted", user))
    call_command("privacy_saleor_orphans", "--clear")
    statement = next(
        line for line in capsys.readouterr().out.splitlines() if "customer_note = ''" in line
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE order_order "
            "(id text PRIMARY KEY, customer_note text NOT NULL, search_vector tsvector)"
        )
        # As Saleor indexes it: the number, the (pseudonymised) e-mail, the note, the address.
        cursor.execute(
            "INSERT INTO order_order VALUES ('1', %s, to_tsvector('simple', %s)), "
            "('2', 'Ring twice', to_tsvector('simple', 'Ring twice Leeds'))",
            [
                "Leave it with Mrs Patel at no. 4",
                "21 erased@erased.invalid Leave it with Mrs Patel at no. 4 Leeds LS1",
            ],
        )
        cursor.execute(statement)
        cursor.execute("SELECT id, customer_note, search_vector::text FROM order_order ORDER BY id")
        (_, note, index), other = cursor.fetchall()
        cursor.execute("DROP TABLE order_order")
    assert note == ""
    assert "patel" not in index
    assert "leave" not in index
    assert "leeds" in index  # the rest of the index stays: the order is still found by its city
    assert "erased@erased.invalid" in index
    assert other == ("2", "Ring twice", "'leeds':3 'ring':1 'twice':2")  # another order: untouched


def test_the_app_deletes_the_account_s_addresses_before_the_account(installation, saleor):
    user = saleor.add_user(NEW)
    (address,) = user["addresses"]
    case = cases.open_case(
        kind=Kind.ERASURE,
        email=NEW,
        channel=Channel.STAFF,
        identity_check="seen",
        address_check="replied to the address",
    )
    service.run_erasure(case.pk)

    assert saleor.mutations("AddressDelete") == [{"id": address["id"]}]
    assert address["id"] not in saleor.addresses
    assert not Leftover.objects.filter(kind=Leftover.Kind.ADDRESS).exists()


def test_a_checkout_search_that_cannot_be_complete_says_so_never_zero(ann, saleor, monkeypatch):
    monkeypatch.setattr(sources, "MAX_RECENT_PAGES", 0)  # more recent checkouts than are read

    case, found, _ = export_of(NEW)

    assert found["saleor.checkouts"] == []
    assert "may be incomplete" in found["missing"]["saleor.checkouts"]
    assert "saleor.checkouts" in case.outcome["missing"]
    gap = CaseEvent.objects.get(case=case, action="export incomplete")
    assert "may be incomplete" in gap.detail


def test_on_saleor_3_22_the_export_says_guest_checkouts_may_be_incomplete(ann):
    Installation.objects.update(schema_version="3.22")

    _, found, _ = export_of(NEW)

    assert len(found["saleor.checkouts"]) == 1  # the recent one is still read directly
    assert "may be incomplete" in found["missing"]["saleor.checkouts"]


def test_retention_deletes_leftovers_after_90_days_and_addresses_after_7_years(installation):
    from datetime import timedelta

    from django.utils import timezone

    from jsg_privacy.retention import engine

    now = timezone.now()
    old = Leftover.objects.create(
        installation=installation, subject_key="k", kind="customer_events", email=OLD
    )
    Leftover.objects.filter(pk=old.pk).update(found_at=now - timedelta(days=91))
    Leftover.objects.create(installation=installation, subject_key="k", kind="customer_note")
    CustomerEmail.objects.create(
        installation=installation,
        saleor_id="VXNlcjox",
        email=OLD,
        first_seen=now - timedelta(days=8 * 365),
    )
    CustomerEmail.objects.create(installation=installation, saleor_id="VXNlcjox", email=NEW)

    engine.enforce(now=now)

    assert list(Leftover.objects.values_list("kind", flat=True)) == ["customer_note"]
    assert list(CustomerEmail.objects.values_list("email", flat=True)) == [NEW]
