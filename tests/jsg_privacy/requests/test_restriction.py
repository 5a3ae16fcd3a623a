"""Restriction (Art. 18): a flag others check, lifted only after the subject has been told."""

import pytest
from django.core import mail
from django.urls import reverse

from example_shop.factories import UserFactory
from jsg_privacy.flows.models import Restriction
from jsg_privacy.marketing import api as marketing
from jsg_privacy.registry import Subject
from jsg_privacy.requests import cases, restriction
from jsg_privacy.requests.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    return UserFactory()


@pytest.fixture
def case(customer):
    return cases.open_case(
        kind="restriction",
        email=customer.email,
        user=customer,
        channel="letter",
        details="My address is wrong until you check it.",
        identity_check="signed letter matching the account's address",
    )


def test_a_restriction_is_seen_by_account_and_by_address_and_no_one_else(customer, case):
    assert not restriction.is_restricted(user=customer)

    restriction.restrict(Subject(customer.pk, customer.email), "accuracy contested", case=case)

    assert restriction.is_restricted(Subject(customer.pk, customer.email))
    assert restriction.is_restricted(user=customer)
    assert restriction.is_restricted(user=customer.pk)
    assert restriction.is_restricted(email=f"  {customer.email.upper()} ")
    assert not restriction.is_restricted(user=UserFactory())
    assert not restriction.is_restricted(email="someone.else@example.com")
    assert not restriction.is_restricted()


def test_checking_is_one_query(customer, django_assert_num_queries):
    restriction.restrict(Subject(customer.pk, customer.email), "accuracy contested")
    with django_assert_num_queries(1):
        assert restriction.is_restricted(user=customer, email=customer.email)


def test_restricting_completes_the_request_once_recipients_are_told_and_is_audited(
    admin_user, customer, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        restriction.restrict(
            cases.subject_of(case), "accuracy contested", case=case, actor=admin_user
        )
        case.refresh_from_db()
        assert case.status == Status.WAITING  # the recipients are told once it commits

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    event = case.events.get(action="processing restricted")
    assert event.actor == admin_user
    assert "accuracy" not in event.detail


def test_an_unverified_request_cannot_restrict(customer):
    unverified = cases.open_case(kind="restriction", email=customer.email, channel="web_form")
    with pytest.raises(cases.CaseError, match="not proven"):
        restriction.restrict(cases.subject_of(unverified), "because", case=unverified)
    assert not restriction.is_restricted(user=customer)


def test_a_restriction_needs_a_reason(customer):
    with pytest.raises(cases.CaseError, match="reason"):
        restriction.restrict(Subject(customer.pk, customer.email), " ")


def test_lifting_is_refused_until_the_subject_has_been_told(admin_user, customer, case):
    item = restriction.restrict(cases.subject_of(case), "accuracy contested", case=case)

    with pytest.raises(cases.CaseError, match="Tell the subject"):
        restriction.lift(item, reason="address checked and correct")
    assert restriction.is_restricted(user=customer)
    assert mail.outbox == []

    restriction.notify_before_lifting(item, actor=admin_user)
    (message,) = mail.outbox
    assert message.to == [customer.email]
    assert case.reference in message.body
    assert "lift" in message.subject

    restriction.lift(item, reason="address checked and correct", actor=admin_user)
    assert not restriction.is_restricted(user=customer)
    actions = list(case.events.values_list("action", flat=True))
    told = actions.index("requester told the restriction will be lifted")
    assert actions[told + 1] == "restriction lifted"
    with pytest.raises(cases.CaseError, match="already"):
        restriction.lift(item, reason="again")


def test_the_notice_goes_only_to_the_restricted_address(customer):
    item = restriction.restrict(Subject(email=customer.email), "asked by e-mail")
    with pytest.raises(cases.CaseError, match="not the address"):
        restriction.notify_before_lifting(item, email="someone.else@example.com")
    with pytest.raises(cases.CaseError, match="no address"):
        restriction.notify_before_lifting(item)
    restriction.notify_before_lifting(item, email=customer.email.upper())
    assert mail.outbox[0].to == [customer.email.upper()]


def test_staff_restrict_tell_and_lift_in_the_admin(admin_client, admin_user, customer, case):
    restrict = reverse("admin:jsg_privacy_case_restrict", args=[case.pk])
    assert (
        restrict in admin_client.get(reverse("admin:jsg_privacy_case_change", args=[case.pk])).text
    )
    admin_client.post(restrict, {"reason": "accuracy contested"})
    item = Restriction.objects.get()
    assert restriction.is_restricted(user=customer)

    lift = reverse("admin:jsg_privacy_restriction_lift", args=[item.pk])
    refused = admin_client.post(lift, {"reason": "checked"})
    assert refused.status_code == 200
    assert "Tell the subject" in refused.text
    assert restriction.is_restricted(user=customer)

    changelist = reverse("admin:jsg_privacy_restriction_changelist")
    admin_client.post(changelist, {"action": "tell_before_lifting", "_selected_action": [item.pk]})
    assert mail.outbox[-1].to == [customer.email]
    assert admin_client.post(lift, {"reason": "checked"}).status_code == 302
    assert not restriction.is_restricted(user=customer)
    assert case.events.get(action="restriction lifted").actor == admin_user


def test_restrictions_are_read_only_in_the_admin(admin_client, customer, case):
    item = restriction.restrict(cases.subject_of(case), "accuracy contested", case=case)
    change = reverse("admin:jsg_privacy_restriction_change", args=[item.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"reason": "x"}).status_code == 403
    assert admin_client.get(reverse("admin:jsg_privacy_restriction_add")).status_code == 403
    item.refresh_from_db()
    assert item.reason == "accuracy contested"


def test_marketing_stops_while_restricted_and_resumes_after_lifting(customer):
    marketing.record_choices({"email": True, "partners": True}, user=customer)
    item = restriction.restrict(Subject(email=customer.email), "accuracy contested")

    assert not marketing.may_contact(user=customer)
    assert not marketing.may_contact(email=customer.email)
    assert not marketing.has_consent("partner_marketing", user=customer)

    restriction.notify_before_lifting(item, email=customer.email)
    restriction.lift(item, reason="checked")
    assert marketing.may_contact(user=customer)
