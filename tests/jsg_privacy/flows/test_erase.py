"""Erasure as declared: delete, anonymise, or keep what the law needs until the hold ends."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from example_shop.enquiries.models import Enquiry
from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from example_shop.orders.models import Order, OrderLine
from jsg_privacy.flows import erase
from jsg_privacy.registry import Subject

pytestmark = pytest.mark.django_db


def step(steps, key):
    return next(s for s in steps if s.source == key)


@pytest.fixture
def customer():
    user = UserFactory()
    recent = OrderFactory(
        user=user, email=user.email, invoiced_at=timezone.now() - timedelta(days=30)
    )
    old = OrderFactory(
        user=user, email=user.email, invoiced_at=timezone.now() - timedelta(days=8 * 365)
    )
    unpaid = OrderFactory(user=user, email=user.email, invoiced_at=None)
    EnquiryFactory(email=user.email)
    return user, recent, old, unpaid


def test_the_plan_shows_what_is_erased_and_what_is_kept_until_when(customer):
    user, recent, _old, _unpaid = customer
    steps = erase.plan(Subject(user_id=user.pk, email=user.email))
    orders = step(steps, "orders.Order")
    assert (orders.rows, orders.held, orders.anonymised) == (3, 1, 2)
    held_until = recent.invoiced_at.date().replace(year=recent.invoiced_at.year + 7)
    assert abs((date.fromisoformat(orders.held_until) - held_until).days) <= 1
    assert "HMRC" in orders.reason
    assert "billing_postcode" in orders.kept_fields
    assert step(steps, "auth.User").deleted == 1
    assert step(steps, "enquiries.Enquiry").deleted == 1
    # Nothing changed yet.
    assert Order.objects.filter(user=user).count() == 3
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_erasing_a_customer_keeps_the_held_fields_and_clears_the_rest(customer):
    user, recent, old, unpaid = customer
    erase.erase(Subject(user_id=user.pk, email=user.email))

    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not Enquiry.objects.filter(email_digest__matches=user.email).exists()
    held = Order.objects.get(pk=recent.pk)
    assert held.full_name == recent.full_name  # kept for the invoice
    assert held.billing_postcode == recent.billing_postcode
    assert held.total == recent.total
    assert held.email == f"erased-{recent.pk}@invalid"  # cleared now
    assert held.phone == "[erased]"
    assert held.mpan == ""
    assert held.access_notes == ""
    for expired in (old, unpaid):
        row = Order.objects.get(pk=expired.pk)
        assert row.full_name == "[erased]"
        assert (
            row.billing_postcode == expired.billing_postcode.split(" ")[0].upper()
        )  # outward code
        assert row.total == expired.total  # amounts stay for the accounts
    assert OrderLine.objects.filter(order=recent).exists()  # lines of the held order stay
    assert not OrderLine.objects.filter(order=old).exists()  # hold over: lines deleted


def test_erasure_is_idempotent(customer):
    user, *_ = customer
    subject = Subject(user_id=user.pk, email=user.email)
    erase.erase(subject)
    snapshot = list(Order.objects.order_by("pk").values())
    second = erase.erase(subject)
    assert all(s.rows == 0 for s in second if s.source != "marketing.Suppression")
    assert list(Order.objects.order_by("pk").values()) == snapshot


def test_erasure_is_all_or_nothing(customer, monkeypatch):
    user, *_ = customer

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        erase, "_apply", lambda source, row, action: boom() if source.key == "auth.User" else None
    )
    with pytest.raises(RuntimeError):
        erase.erase(Subject(user_id=user.pk, email=user.email))
    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert Order.objects.filter(user=user, email_digest__matches=user.email).count() == 3


def test_other_customers_are_untouched(customer):
    user, *_ = customer
    other = OrderFactory()
    erase.erase(Subject(user_id=user.pk, email=user.email))
    assert Order.objects.get(pk=other.pk).email == other.email


def test_the_plan_staff_approve_is_what_erasure_does_for_every_source(customer, client):
    """Every source, the keyed tables and sessions included: the same rows, the same actions."""
    from jsg_privacy.marketing import api

    user, *_orders = customer
    api.record_choices({"email": True, "post": True}, user=user, channel="signup")
    api.record_choices({"sms": True}, email=user.email, channel="checkout")
    api.suppress(user.email, "phone")
    client.force_login(user)
    subject = Subject(user_id=user.pk, email=user.email)

    planned = {s.source: (s.rows, s.deleted, s.anonymised, s.held) for s in erase.plan(subject)}
    done = {s.source: (s.rows, s.deleted, s.anonymised, s.held) for s in erase.erase(subject)}

    assert done == planned
    assert planned["jsg_privacy.MarketingConsent"] == (3, 3, 0, 0)
    assert planned["jsg_privacy.Suppression"] == (1, 0, 0, 1)  # kept: "never again" is remembered
    assert planned["sessions.Session"] == (1, 1, 0, 0)
