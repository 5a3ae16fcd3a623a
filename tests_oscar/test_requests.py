"""A customer's and a guest's export and erasure in an Oscar shop, through jsg_privacy's pages:
orders stay under the tax hold with what the tax record needs, everything else goes."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from jsg_privacy.flows import erase
from jsg_privacy.registry import Subject
from jsg_privacy.requests import service
from jsg_privacy.requests.models import Case, ExportFile, Kind, Status

pytestmark = pytest.mark.django_db

PASSWORD = "skelebrain"  # oscar.test.factories.UserFactory's
LINK = re.compile(r"https?://testserver(/privacy/requests/verify/\S+/)")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
LineAttribute = get_model("order", "LineAttribute")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
OrderNote = get_model("order", "OrderNote")
ShippingEvent = get_model("order", "ShippingEvent")
PaymentSource = get_model("payment", "Source")
Transaction = get_model("payment", "Transaction")
UserAddress = get_model("address", "UserAddress")
WishList = get_model("wishlists", "WishList")
ProductReview = get_model("reviews", "ProductReview")
ProductAlert = get_model("customer", "ProductAlert")
Email = get_model("communication", "Email")
UserSearch = get_model("analytics", "UserSearch")
Bankcard = get_model("payment", "Bankcard")
Basket = get_model("basket", "Basket")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def records(file: ExportFile) -> dict[str, list[dict]]:
    """The export's records, by source key."""
    with service.storage().open(file.name) as handle:
        data = json.loads(zipfile.ZipFile(io.BytesIO(handle.read())).read("data.json"))
    return {source["key"]: source["records"] for source in data["sources"]}


def confirm_by_email(client: Client, email: str, kind: str) -> Case:
    """The public form, then the identity link e-mailed to ``email``, confirmed."""
    response = client.post(
        reverse("jsg_privacy:requests:new"), {"email": email, "kind": kind, "details": ""}
    )
    assert response.status_code == 302
    link = LINK.search(mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 200  # a page with a button: opening it proves nothing
    assert client.post(link).status_code == 200
    return Case.objects.get(email_digest__matches=email, kind=kind)


# -- export ----------------------------------------------------------------------------------


def test_a_customer_s_export_holds_their_orders_account_and_activity(
    customer, guest, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(customer.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jsg_privacy:requests:export"))
    found = records(ExportFile.objects.get(case__user=customer.user))

    assert [r["number"] for r in found["order.Order"]] == [customer.order.number]
    assert found["order.Line"][0]["title"] == "Walnut desk"
    assert found["order.LineAttribute"][0]["value"] == "Happy birthday, Ada"
    assert found["order.ShippingAddress"][0]["notes"] == "Leave with the porter"
    assert found["order.BillingAddress"][0]["line1"] == "12 St James's Square"
    assert found["payment.Transaction"][0]["txn_type"] == "Debit"
    assert found["order.OrderNote"][0]["message"] == "Customer rang: deliver after 6pm"
    assert found["address.UserAddress"][0]["first_name"] == "Ada"
    assert found["wishlists.WishList"][0]["name"] == "Study"
    assert found["wishlists.WishListSharedEmail"][0]["email"] == "charles@example.com"
    assert found["reviews.ProductReview"][0]["title"] == "Solid walnut"
    assert found["customer.ProductAlert"][0]["product__title"] == "Walnut desk"
    assert found["communication.Email"][0]["subject"] == "Your order"
    assert found["analytics.UserSearch"][0]["query"] == "walnut desk"
    assert found["payment.Bankcard"][0]["number"] == "XXXX-XXXX-XXXX-1111"
    assert "password" not in found["auth.User"][0]
    # Someone else's order with another address is not in it.
    text = json.dumps(found)
    assert guest.email not in text
    assert guest.order.number not in text


def test_a_guest_s_export_is_found_by_the_address_they_proved(
    guest, customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = confirm_by_email(Client(), guest.email, Kind.ACCESS)

    found = records(ExportFile.objects.get(case=case))

    assert [r["number"] for r in found["order.Order"]] == [guest.order.number]
    assert found["order.Order"][0]["guest_email"] == guest.email
    assert found["order.Line"][0]["order__number"] == guest.order.number
    assert found["order.ShippingAddress"][0]["last_name"] == "Lovelace"
    assert found["customer.ProductAlert"][0]["email"] == guest.email
    assert found["reviews.ProductReview"][0]["name"] == "Grace"
    assert found["communication.Email"][0]["body_text"] == "Thank you, Grace."
    assert customer.order.number not in json.dumps(found)
    assert "download" in mail.outbox[-1].body.lower()


# -- erasure ---------------------------------------------------------------------------------


def assert_order_held(order, *, guest_email_cleared: bool) -> None:
    """What the tax record needs is intact; what identifies the buyer and is not needed, gone."""
    kept = Order.objects.get(pk=order.pk)
    assert (kept.number, kept.total_incl_tax, kept.date_placed) == (
        order.number,
        order.total_incl_tax,
        order.date_placed,
    )
    assert kept.user_id is None
    if guest_email_cleared:
        assert kept.guest_email == f"erased-{order.pk}@invalid"
    line = Line.objects.get(order=order)
    assert (line.title, line.line_price_incl_tax) == (
        "Walnut desk",
        order.lines.get().line_price_incl_tax,
    )
    assert LineAttribute.objects.get(line=line).value == {}  # the gift message, not needed
    billing = BillingAddress.objects.get(pk=order.billing_address_id)
    assert (billing.first_name, billing.line1, billing.postcode) == (
        "Ada",
        "12 St James's Square",
        "SW1Y 4JH",
    )
    shipping = ShippingAddress.objects.get(pk=order.shipping_address_id)
    assert (shipping.first_name, shipping.line1, shipping.notes, shipping.phone_number) == (
        "",
        "[erased]",
        "",
        "",
    )
    assert (shipping.line4, shipping.postcode) == ("London", "SW1Y 4JH")  # the place of supply
    assert "Ada" not in shipping.search_text
    assert not OrderNote.objects.filter(order=order).exists()
    assert ShippingEvent.objects.get(order=order).notes == ""
    assert PaymentSource.objects.get(order=order).reference == "pi_123"
    assert Transaction.objects.filter(source__order=order).count() == 1


def test_a_customer_s_erasure_keeps_their_orders_under_the_tax_hold(customer, guest):
    client = Client()
    client.force_login(customer.user)
    plan = client.get(reverse("jsg_privacy:requests:erase"))
    assert "the tax authorities require sales records to be kept" in plan.text
    client.post(reverse("jsg_privacy:requests:erase"), {"password": PASSWORD})
    case = Case.objects.get(user=customer.user, kind=Kind.ERASURE)

    steps = service.run_erasure(case.pk)

    case.refresh_from_db()
    assert case.status == Status.COMPLETED, case.failure_reason
    by_source = {step.source: step for step in steps}
    assert by_source["order.Order"].held == 1
    assert not get_user_model().objects.filter(pk=customer.user.pk).exists()
    assert_order_held(customer.order, guest_email_cleared=False)
    for model, link in [
        (UserAddress, "user_id"),
        (WishList, "owner_id"),
        (ProductAlert, "user_id"),
        (Email, "user_id"),
        (UserSearch, "user_id"),
        (Bankcard, "user_id"),
        (ProductReview, "user_id"),
        (Basket, "owner_id"),
    ]:
        assert not model.objects.filter(**{link: customer.user.pk}).exists(), model
    # The guest's order is untouched, and a second erasure finds nothing more of Oscar's (the
    # erasure request itself is kept as proof: jsg_privacy's own declaration).
    assert Order.objects.get(pk=guest.order.pk).guest_email == guest.email
    again = erase.erase(Subject(user_id=customer.user.pk, email=customer.email))
    assert {step.source for step in again if step.rows} == {"jsg_privacy.Case"}


def test_a_guest_s_erasure_keeps_their_order_under_the_tax_hold(guest, customer):
    case = confirm_by_email(Client(), guest.email, Kind.ERASURE)

    steps = service.run_erasure(case.pk)

    case.refresh_from_db()
    assert case.status == Status.COMPLETED, case.failure_reason
    assert {step.source: step.held for step in steps}["order.Order"] == 1
    assert_order_held(guest.order, guest_email_cleared=True)
    assert not ProductAlert.objects.filter(email=guest.email).exists()
    assert not ProductReview.objects.filter(email=guest.email).exists()
    assert not Email.objects.filter(email=guest.email).exists()
    # The customer's records are untouched.
    assert Order.objects.get(pk=customer.order.pk).user_id == customer.user.pk
    assert ShippingAddress.objects.get(pk=customer.order.shipping_address_id).first_name == "Ada"


def test_the_erasure_plan_says_how_long_an_order_is_kept(customer):
    steps = {step.source: step for step in erase.plan(Subject(user_id=customer.user.pk))}
    held_until = (
        (customer.order.date_placed + timedelta(days=1))
        .date()
        .replace(year=customer.order.date_placed.year + 7)
    )
    assert steps["order.Order"].held == 1
    assert steps["order.Order"].held_until[:4] == str(held_until.year)
    assert steps["order.OrderNote"].deleted == 1
    assert steps["auth.User"].deleted == 1
