"""Objection (Art. 21): to marketing, at once and absolute; to anything else, a staff decision."""

import pytest
from django.core import mail
from django.urls import reverse

from example_shop.factories import UserFactory
from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.marketing import api as marketing
from jsg_privacy.registry import Subject
from jsg_privacy.requests import cases, objection, restriction
from jsg_privacy.requests.models import Case, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    user = UserFactory()
    marketing.record_choices({"email": True, "sms": True, "partners": True}, user=user)
    return user


def open_objection(customer, verified=True):
    return cases.open_case(
        kind="objection",
        email=customer.email,
        user=customer,
        channel="email",
        identity_check="reply from the account's address" if verified else "",
    )


def test_an_objection_to_marketing_stops_every_medium_at_once(customer):
    assert marketing.may_contact(user=customer)
    case = open_objection(customer, verified=False)  # no identity check needed to stop marketing

    assert objection.object_to_marketing(cases.subject_of(case), case=case)

    for medium in ("email", "sms", "phone", "post"):
        assert not marketing.may_contact(user=customer, email=customer.email, medium=medium)
        assert marketing.is_suppressed(customer.email, medium)
    assert not marketing.has_consent("partner_marketing", user=customer)
    withdrawn = ConsentRecord.objects.filter(action="unsubscribed", channel="staff")
    assert {(r.purpose, r.medium) for r in withdrawn} >= {
        ("marketing", "email"),
        ("marketing", "sms"),
        ("partner_marketing", ""),
    }
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.events.filter(action__startswith="objection to direct marketing").exists()


def test_it_is_absolute_and_a_second_objection_changes_nothing(customer):
    subject = Subject(customer.pk, customer.email)
    assert objection.object_to_marketing(subject)
    count = ConsentRecord.objects.count()
    assert not objection.object_to_marketing(subject)
    assert ConsentRecord.objects.count() == count


def test_an_objection_by_address_alone_stops_a_guest_too():
    marketing.record_choices({"email": True}, email="guest@example.com")
    objection.object_to_marketing(Subject(email="guest@example.com"))
    assert not marketing.may_contact(email="guest@example.com")


def test_another_objection_waits_for_a_decision(customer):
    case = open_objection(customer)

    recorded = objection.record(case, "security", "I do not want my log-ins analysed.")

    case.refresh_from_db()
    assert case.status == Status.OPEN
    assert not recorded.decided
    event = case.events.get(action="objection recorded")
    assert event.detail == "purpose: security"  # the grounds are on the objection, not the trail


def test_an_objection_to_marketing_is_not_left_for_a_decision(customer):
    with pytest.raises(cases.CaseError, match="at once"):
        objection.record(open_objection(customer), "marketing")


def test_processing_can_be_restricted_until_the_decision(customer):
    case = open_objection(customer)
    objection.record(case, "security", restrict_meanwhile=True)
    assert restriction.is_restricted(user=customer)
    case.refresh_from_db()
    assert case.status == Status.OPEN


def test_the_decision_needs_a_reason_and_the_requester_is_told_it(admin_user, customer):
    case = open_objection(customer)
    objection.record(case, "security", "no profiling")
    with pytest.raises(cases.CaseError, match="reason"):
        objection.decide(case, False, " ", actor=admin_user)

    (decided,) = objection.decide(case, False, "Logs are kept 30 days to stop fraud.", admin_user)

    assert decided.upheld is False
    assert decided.decision_reason == "Logs are kept 30 days to stop fraud."
    case.refresh_from_db()
    assert case.status == Status.REFUSED
    assert "30 days to stop fraud" in mail.outbox[-1].body
    assert "ico.org.uk" in mail.outbox[-1].body
    assert case.events.get(action="objection not upheld").actor == admin_user
    with pytest.raises(cases.CaseError):
        objection.decide(case, True, "changed my mind", admin_user)


def test_an_upheld_objection_completes_the_request(admin_user, customer):
    case = open_objection(customer)
    objection.record(case, "legal_claims")
    objection.decide(case, True, "No claim is foreseeable.", admin_user)
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.outcome == {"objections": ["legal_claims"], "upheld": True}


def test_staff_record_and_decide_in_the_admin(admin_client, customer):
    case = open_objection(customer)
    record = reverse("admin:jsg_privacy_case_object", args=[case.pk])
    page = admin_client.get(record)
    assert 'value="security"' in page.text
    assert 'value="marketing"' in page.text

    admin_client.post(record, {"purpose": "security", "grounds": "no profiling"})
    decide = reverse("admin:jsg_privacy_case_decide", args=[case.pk])
    assert decide in admin_client.get(reverse("admin:jsg_privacy_case_change", args=[case.pk])).text
    admin_client.post(decide, {"upheld": "yes", "reason": "We can do without."})

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.objections.get().upheld is True


def test_staff_stop_marketing_from_the_list(admin_client, customer):
    case = open_objection(customer)
    admin_client.post(
        reverse("admin:jsg_privacy_case_changelist"),
        {"action": "stop_marketing", "_selected_action": [case.pk]},
    )
    assert not marketing.may_contact(user=customer)


# -- an objection to marketing by the request pages takes effect at once ---------------------------


@pytest.fixture
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_the_public_form_stops_marketing_at_once_without_waiting_for_the_link(
    customer, client, fresh_rate_limits
):
    assert marketing.may_contact(user=customer)

    response = client.post(
        reverse("jsg_privacy:requests:new"),
        {"email": customer.email, "kind": "objection_marketing", "details": ""},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("jsg_privacy:requests:stopped"), 302)]
    assert "Marketing stopped" in response.text
    for medium in ("email", "sms", "phone", "post"):  # at once: no link opened, no staff
        assert marketing.is_suppressed(customer.email, medium)
        assert not marketing.may_contact(user=customer, email=customer.email, medium=medium)
    ledger = ConsentRecord.objects.filter(channel="request", action="unsubscribed")
    assert {(r.purpose, r.medium) for r in ledger} >= {
        ("marketing", "email"),
        ("marketing", "post"),
    }
    case = Case.objects.get()
    assert (case.kind, case.channel, case.status) == ("objection", "web_form", Status.COMPLETED)
    (confirmation,) = mail.outbox  # no identity link: nothing waits for it
    assert confirmation.to == [customer.email]
    assert "stopped all marketing" in confirmation.subject
    assert "/privacy/requests/verify/" not in confirmation.body


def test_an_unknown_address_gets_the_same_answer_and_is_suppressed(client, fresh_rate_limits):
    response = client.post(
        reverse("jsg_privacy:requests:new"),
        {"email": "nobody.yet@example.net", "kind": "objection_marketing"},
    )

    assert response.url == reverse("jsg_privacy:requests:stopped")
    assert marketing.is_suppressed("nobody.yet@example.net", "email")  # never starts, either


def test_your_data_page_stops_marketing_at_once_without_a_reason(customer, fresh_rate_limits):
    from django.test import Client

    signed_in = Client()
    signed_in.force_login(customer)

    response = signed_in.post(
        reverse("jsg_privacy:requests:restrict"), {"kind": "objection_marketing"}, follow=True
    )

    assert "all marketing to you has stopped" in response.text
    assert not marketing.may_contact(user=customer)
    assert not marketing.has_consent("partner_marketing", user=customer)
    case = Case.objects.get()
    assert (case.kind, case.status) == ("objection", Status.COMPLETED)
    assert ConsentRecord.objects.filter(channel="request", purpose="partner_marketing").exists()
