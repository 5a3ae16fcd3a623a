"""Rotating JSG_PRIVACY_HASH_KEY keeps the old key for matching: an opt-out, a restriction, a
proven address, the consent history and e-mail lookups made before the rotation still count."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from example_shop.factories import OrderFactory, UserFactory
from example_shop.orders.models import Order
from jsg_privacy.consent import ledger
from jsg_privacy.crypto import subjects
from jsg_privacy.flows import history
from jsg_privacy.marketing import api
from jsg_privacy.registry import Subject
from jsg_privacy.requests import identity, restriction
from jsg_privacy.retention import engine

pytestmark = pytest.mark.django_db

EMAIL = "Rotation.Test@example.org"
OLD, NEW = "old-hash-key-for-tests-only", "new-hash-key-for-tests-only"


def test_an_opt_out_and_every_lookup_survive_a_hash_key_rotation(settings, capsys):
    settings.JSG_PRIVACY_HASH_KEY = OLD
    customer = UserFactory(email=EMAIL.lower())
    api.record_choices({"email": True, "post": True}, user=customer, channel="signup")
    api.suppress(EMAIL, "email", channel="unsubscribe")
    ledger.append(
        subject_key=subjects.for_user(customer),
        purpose="analytics",
        action="given",
        channel="banner",
    )
    order = OrderFactory(user=customer, email=EMAIL)
    identity.record_proof(customer, EMAIL, identity.BY_LINK)
    restriction.restrict(Subject(email=EMAIL), "accuracy contested")
    old_digest = Order.objects.get(pk=order.pk).email_digest

    settings.JSG_PRIVACY_HASH_KEY = [NEW, OLD]  # the new key first; the old one kept for matching

    assert subjects.for_email(EMAIL) != old_digest  # new keys are made with the new key
    assert api.is_suppressed(EMAIL, "email")
    assert not api.may_contact(email=EMAIL)
    assert not api.may_contact(user=customer, medium="email")
    assert restriction.is_restricted(email=EMAIL)
    assert identity.address_proven(customer, EMAIL)
    assert Order.objects.filter(email_digest__matches=EMAIL).get() == order
    records = list(history.consent_records(Subject(user_id=customer.pk, email=EMAIL)))
    assert {r["purpose"] for r in records} >= {"analytics", "marketing"}

    call_command("privacy_rotate_keys", "--rehash", stdout=None)
    capsys.readouterr()
    assert Order.objects.get(pk=order.pk).email_digest == subjects.for_email(EMAIL)
    assert Order.objects.filter(email_digest__matches=EMAIL).get() == order

    settings.JSG_PRIVACY_HASH_KEY = [NEW]  # dropping the old key forgets what was made with it
    assert not api.is_suppressed(EMAIL, "email")


def test_a_comma_separated_key_list_from_the_environment_works(settings):
    settings.JSG_PRIVACY_HASH_KEY = OLD
    api.suppress(EMAIL, "email", channel="unsubscribe")

    settings.JSG_PRIVACY_HASH_KEY = f"{NEW}, {OLD}"

    assert api.is_suppressed(EMAIL, "email")


def test_names_and_anonymised_orders_are_still_recognised_after_a_rotation(settings):
    """An exact name finds its order, and retention does not take an order it anonymised before
    the rotation for a new one (it is recognised by the keyed hash of "[erased]")."""
    settings.JSG_PRIVACY_HASH_KEY = OLD
    named = OrderFactory(full_name="Dana Whitlock")
    old = OrderFactory(invoiced_at=timezone.now() - timedelta(days=8 * 366))
    assert engine.enforce().counts["orders.Order"]["anonymised"] == 1

    settings.JSG_PRIVACY_HASH_KEY = [NEW, OLD]

    assert Order.objects.filter(full_name_digest__matches="dana  WHITLOCK").get() == named
    assert engine.enforce(dry_run=True).counts["orders.Order"]["due"] == 0
    assert Order.objects.get(pk=old.pk).full_name == "[erased]"
