"""Rectification (Art. 16): staff correct a requester's records; the trail names fields, not values."""

import logging

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from example_shop.accounts.models import CustomerProfile
from example_shop.factories import OrderFactory, UserFactory
from jsg_privacy.requests import cases, rectification
from jsg_privacy.requests.models import CaseEvent, Status

pytestmark = pytest.mark.django_db

NEW_PHONE = "01268 773766"
NEW_TOWN = "Basildon"


@pytest.fixture
def customer():
    return UserFactory()


@pytest.fixture
def case(customer):
    return cases.open_case(
        kind="rectification",
        email=customer.email,
        user=customer,
        channel="phone",
        details="My phone number and town are wrong.",
        identity_check="call-back to the number on the account",
    )


def everything_logged(case):
    return " ".join(f"{e.action} {e.detail}" for e in CaseEvent.objects.filter(case=case)) + str(
        case.outcome
    )


def test_a_correction_is_saved_and_audited_by_field_name_only(admin_user, customer, case, caplog):
    profile = customer.customer_profile
    old_phone = profile.phone
    caplog.set_level(logging.DEBUG)

    changed = rectification.correct(
        case, profile, {"phone": NEW_PHONE, "billing_town": NEW_TOWN}, actor=admin_user
    )

    assert changed == ["phone", "billing_town"]
    profile.refresh_from_db()
    assert (profile.phone, profile.billing_town) == (NEW_PHONE, NEW_TOWN)
    event = case.events.get(action="corrected")
    assert event.actor == admin_user
    assert "corrected fields: phone, billing_town" in event.detail
    logged = everything_logged(case) + caplog.text
    for value in (NEW_PHONE, NEW_TOWN, old_phone):
        assert value not in logged
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_an_unchanged_value_is_no_correction(customer, case):
    profile = customer.customer_profile
    assert rectification.correct(case, profile, {"phone": profile.phone}) == []
    assert not case.events.filter(action="corrected").exists()


def test_an_invalid_value_saves_nothing(customer, case):
    profile = customer.customer_profile
    old = profile.billing_postcode
    with pytest.raises(ValidationError):
        rectification.correct(case, profile, {"billing_postcode": "not a postcode"})
    profile.refresh_from_db()
    assert profile.billing_postcode == old
    assert not case.events.filter(action="corrected").exists()


def test_only_the_requesters_records_and_their_own_fields(customer, case):
    other = UserFactory().customer_profile
    with pytest.raises(cases.CaseError, match="not the requester's"):
        rectification.correct(case, other, {"phone": NEW_PHONE})
    with pytest.raises(cases.CaseError, match="password"):
        rectification.correct(case, customer, {"password": "x"})
    order = OrderFactory(user=customer, email=customer.email)
    assert rectification.correct(case, order, {"phone": NEW_PHONE}) == ["phone"]


def test_an_unverified_request_corrects_nothing(customer):
    unverified = cases.open_case(kind="rectification", email=customer.email, channel="web_form")
    with pytest.raises(cases.CaseError, match="nothing can be corrected"):
        rectification.correct(unverified, customer.customer_profile, {"phone": NEW_PHONE})


def test_recipients_that_received_the_field_are_told_of_a_correction_never_its_value(
    customer, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rectification.correct(case, customer.customer_profile, {"phone": NEW_PHONE})

    told = {message.to[0]: message for message in mail.outbox}
    # Account data reached hosting, e-mail/accounting and the group; not the suppliers (order
    # data only), not Stripe (it receives no phone), not partners (no consent given).
    assert set(told) == {
        "dpo@hosting.example",
        "privacy@mail-and-accounts.example",
        "data-protection@jsg-group.example",
    }
    for message in told.values():
        assert case.reference in message.subject
        assert customer.email in message.body  # whom it is about
        assert "Corrected: phone" in message.body
        assert NEW_PHONE not in message.body
    notices = list(case.recipient_notices.all())
    assert {(n.event, n.status, tuple(n.fields)) for n in notices} == {
        ("rectified", "sent", ("phone",))
    }
    assert all(n.email == "" for n in notices)  # the address is not kept once they are told
    assert NEW_PHONE not in everything_logged(case)


def test_staff_correct_through_the_admin_and_nothing_logs_a_value(
    admin_client, admin_user, customer, case, django_capture_on_commit_callbacks
):
    correct = reverse("admin:jsg_privacy_case_correct", args=[case.pk])
    listing = admin_client.get(correct)
    profile = CustomerProfile.objects.get(user=customer)
    link = f"?source=accounts.CustomerProfile&amp;pk={profile.pk}"
    assert link in listing.text

    form = admin_client.get(f"{correct}?source=accounts.CustomerProfile&pk={profile.pk}")
    fields = form.context["form"].fields
    assert "phone" in fields
    assert "user" not in fields
    data = {name: form.context["form"].initial.get(name) or "" for name in fields}
    data.update(phone=NEW_PHONE)
    with django_capture_on_commit_callbacks(execute=True):  # the recipients are told on commit
        response = admin_client.post(
            f"{correct}?source=accounts.CustomerProfile&pk={profile.pk}", data
        )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.phone == NEW_PHONE
    assert case.events.get(action="corrected").detail.endswith("corrected fields: phone")
    assert NEW_PHONE not in everything_logged(case)
    assert NEW_PHONE not in str(list(LogEntry.objects.values_list("change_message", flat=True)))

    admin_client.post(reverse("admin:jsg_privacy_case_complete", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.outcome["corrected"] == [
        {"record": f"accounts.CustomerProfile #{profile.pk}", "fields": ["phone"]}
    ]


def test_the_admin_will_not_open_someone_elses_record(admin_client, case):
    other = UserFactory().customer_profile
    correct = reverse("admin:jsg_privacy_case_correct", args=[case.pk])
    response = admin_client.get(f"{correct}?source=accounts.CustomerProfile&pk={other.pk}")
    assert response.status_code == 404
