"""Erasure from the admin: staff see the plan, nothing changes until they confirm, the result is kept."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from example_shop.orders.models import Order
from jsg_privacy.marketing import api as marketing
from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import Case, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    user = UserFactory()
    OrderFactory(user=user, email=user.email, invoiced_at=timezone.now() - timedelta(days=30))
    EnquiryFactory(email=user.email)
    return user


@pytest.fixture
def erasure(customer):
    return cases.open_case(
        kind="erasure",
        email=customer.email,
        user=customer,
        channel="phone",
        identity_check="call-back to the number on the account",
    )


def plan_url(case):
    return reverse("admin:jsg_privacy_case_erase", args=[case.pk])


def test_the_erase_action_leads_to_the_plan(admin_client, erasure):
    response = admin_client.post(
        reverse("admin:jsg_privacy_case_changelist"),
        {"action": "erase_after_review", "_selected_action": [erasure.pk]},
    )
    assert response["Location"] == plan_url(erasure)


def test_the_plan_says_what_is_erased_and_what_is_kept_until_when_and_why(
    admin_client, customer, erasure
):
    response = admin_client.get(plan_url(erasure))

    assert response.status_code == 200
    text = response.text
    held_until = (timezone.localdate() - timedelta(days=30)).replace(
        year=timezone.localdate().year + 7
    )
    assert f"keep 1 until {held_until.year}-" in text
    assert "HMRC" in text
    assert "billing_postcode" in text  # a field kept for the invoice
    assert "delete 1" in text  # the account, the enquiry
    assert 'name="confirm"' in text
    # Looking at the plan changes nothing.
    assert get_user_model().objects.filter(pk=customer.pk).exists()
    assert Order.objects.get(user=customer).email == customer.email
    erasure.refresh_from_db()
    assert erasure.status == Status.OPEN


def test_a_post_without_confirm_changes_nothing(admin_client, customer, erasure):
    admin_client.post(plan_url(erasure), {})
    assert get_user_model().objects.filter(pk=customer.pk).exists()
    erasure.refresh_from_db()
    assert erasure.status == Status.OPEN


def test_confirming_erases_records_the_outcome_and_keeps_the_suppression(
    admin_client, admin_user, customer, erasure
):
    marketing.suppress(customer.email, "all")
    email = customer.email

    response = admin_client.post(plan_url(erasure), {"confirm": "1"})

    assert response["Location"] == reverse("admin:jsg_privacy_case_change", args=[erasure.pk])
    assert not get_user_model().objects.filter(pk=customer.pk).exists()
    erasure.refresh_from_db()
    assert erasure.status == Status.COMPLETED
    steps = {s["source"]: s for s in erasure.outcome["steps"]}
    assert steps["orders.Order"]["held"] == 1
    assert steps["auth.User"]["deleted"] == 1
    actions = list(erasure.events.values_list("action", "actor"))
    assert ("erasure confirmed by staff", admin_user.pk) in actions
    assert ("waiting for recipients", admin_user.pk) in actions
    assert actions[-1] == ("completed", None)  # once the last recipient was told
    assert marketing.is_suppressed(email)
    page = admin_client.get(reverse("admin:jsg_privacy_case_change", args=[erasure.pk]))
    assert "keep 1 until" in page.text  # the result, on the case


def test_confirming_twice_erases_once(admin_client, erasure):
    admin_client.post(plan_url(erasure), {"confirm": "1"})
    admin_client.post(plan_url(erasure), {"confirm": "1"})
    erasure.refresh_from_db()
    assert erasure.status == Status.COMPLETED
    assert erasure.events.filter(action="completed").count() == 1


def test_the_plan_names_the_recipients_told_and_confirming_tells_them(admin_client, erasure):
    plan = admin_client.get(plan_url(erasure)).text
    assert "Recipients told afterwards" in plan
    assert "Suppliers and manufacturers in China" in plan  # they received the order
    assert "Stripe" not in plan  # nothing was ever sent to Stripe about this customer

    admin_client.post(plan_url(erasure), {"confirm": "1"})

    assert sorted(m.to[0] for m in mail.outbox) == [
        "data-protection@jsg-group.example",
        "dpo@hosting.example",
        "privacy@mail-and-accounts.example",
        "privacy@meter-supplier.example",
    ]
    page = admin_client.get(reverse("admin:jsg_privacy_case_change", args=[erasure.pk])).text
    assert "Recipient notices" in page
    assert "e-mailed privacy@meter-supplier.example" in page


def test_unverified_and_other_requests_have_no_erasure_page(admin_client, customer):
    unverified = cases.open_case(kind="erasure", email=customer.email, channel="web_form")
    access = cases.open_case(
        kind="access", email=customer.email, channel="web_form", identity_check="link"
    )
    for case in (unverified, access):
        assert admin_client.post(plan_url(case), {"confirm": "1"}).status_code == 302
    assert get_user_model().objects.filter(pk=customer.pk).exists()
    assert not Case.objects.filter(status=Status.COMPLETED).exists()


def test_a_failed_erasure_changes_nothing_and_can_be_retried(admin_client, erasure, monkeypatch):
    def broken(subject):
        raise OSError("database went away")

    monkeypatch.setattr(service.erase, "erase", broken)
    admin_client.post(plan_url(erasure), {"confirm": "1"})
    erasure.refresh_from_db()
    assert erasure.status == Status.FAILED
    monkeypatch.undo()

    admin_client.post(
        reverse("admin:jsg_privacy_case_changelist"),
        {"action": "retry_failed", "_selected_action": [erasure.pk]},
    )
    erasure.refresh_from_db()
    assert erasure.status == Status.COMPLETED
