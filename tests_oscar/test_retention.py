"""Retention on an Oscar shop's old rows: a dry run changes nothing; a real run deletes what is due,
orders with everything hanging off them (their address rows too), and keeps the rest."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test import factories

from jsg_privacy.flows import erase
from jsg_privacy.registry import Subject
from jsg_privacy.retention import engine
from tests_oscar.conftest import place_order

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")
PaymentSource = get_model("payment", "Source")
UserAddress = get_model("address", "UserAddress")
UserProductView = get_model("analytics", "UserProductView")
Basket = get_model("basket", "Basket")


def years_ago(years: int, days: int = 0):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


def retention(*args: str) -> str:
    out = io.StringIO()
    call_command("privacy_enforce_retention", *args, "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def old_rows(customer):
    """Rows past their time, beside the customer's recent ones (which stay)."""
    idle = factories.UserFactory(username="idle", email="idle@example.com")
    get_user_model().objects.filter(pk=idle.pk).update(
        last_login=timezone.now() - timedelta(days=4 * 365)
    )
    factories.UserAddressFactory(user=idle)
    old_order = place_order(guest_email="old@example.com", placed=years_ago(8))
    erased_order = place_order(guest_email="erased@example.com", placed=years_ago(2))
    erase.erase(Subject(email="erased@example.com"))  # now under the tax hold until 5 years on
    view = UserProductView.objects.create(user=customer.user, product=old_order.lines.get().product)
    UserProductView.objects.filter(pk=view.pk).update(date_created=timezone.now() - timedelta(400))
    basket = customer.other["basket"]
    Basket.objects.filter(pk=basket.pk).update(date_created=timezone.now() - timedelta(400))
    return {"idle": idle, "old": old_order, "erased": erased_order, "view": view, "basket": basket}


def test_a_dry_run_reports_what_is_due_and_changes_nothing(customer, old_rows):
    report = retention("--dry-run")

    assert "order.Order: 1 due" in report
    assert "order.ShippingAddress: 1 due" in report
    # The idle account is past its time, but its holder is e-mailed first (docs/retention.md).
    assert "auth.User: 0 due; 1 kept until 30 days after their warning e-mail" in report
    assert "1 to be warned by e-mail first" in report
    assert "analytics.UserProductView: 1 due" in report
    assert "basket.Basket: 1 due" in report
    assert Order.objects.filter(pk=old_rows["old"].pk).exists()
    assert get_user_model().objects.filter(pk=old_rows["idle"].pk).exists()


def test_a_real_run_deletes_old_orders_with_their_rows_and_keeps_the_rest(customer, old_rows):
    old = old_rows["old"]

    report = retention()

    assert "completed." in report
    # The idle account is warned first and kept; it goes once the warning period is over.
    assert "1 warned by e-mail" in report
    assert get_user_model().objects.filter(pk=old_rows["idle"].pk).exists()
    assert UserAddress.objects.filter(user_id=old_rows["idle"].pk).exists()
    assert engine.enforce(now=timezone.now() + timedelta(days=31)).status == "completed"
    assert not Order.objects.filter(pk=old.pk).exists()
    assert not Line.objects.filter(order_id=old.pk).exists()
    assert not PaymentSource.objects.filter(order_id=old.pk).exists()
    assert not ShippingAddress.objects.filter(pk=old.shipping_address_id).exists()
    assert not BillingAddress.objects.filter(pk=old.billing_address_id).exists()
    assert not get_user_model().objects.filter(pk=old_rows["idle"].pk).exists()
    assert not UserAddress.objects.filter(user_id=old_rows["idle"].pk).exists()
    assert not UserProductView.objects.filter(pk=old_rows["view"].pk).exists()
    assert not Basket.objects.filter(pk=old_rows["basket"].pk).exists()
    # Kept: the customer's recent order and account, and the erased order under its hold.
    assert Order.objects.filter(pk=customer.order.pk).exists()
    assert get_user_model().objects.filter(pk=customer.user.pk).exists()
    held = Order.objects.get(pk=old_rows["erased"].pk)
    assert held.total_incl_tax == old_rows["erased"].total_incl_tax
    assert ShippingAddress.objects.filter(pk=held.shipping_address_id).exists()
    # Nothing is left to do.
    assert "due," not in retention("--dry-run")
    assert "kept until" not in retention("--dry-run")


def test_deleting_an_order_deletes_its_address_rows(customer):
    order = customer.order
    order.delete()
    assert not ShippingAddress.objects.filter(pk=order.shipping_address_id).exists()
    assert not BillingAddress.objects.filter(pk=order.billing_address_id).exists()
