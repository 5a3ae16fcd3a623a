"""Art. 19: every recipient that received a subject's data is told of an erasure, a correction or
a restriction, through its notifier; the request records it and waits until all are told."""

import dataclasses
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from jsg_privacy import signals
from jsg_privacy.marketing import api as marketing
from jsg_privacy.registry import Recipient, RecipientKind, Subject, registry
from jsg_privacy.requests import cases, rectification, restriction, service
from jsg_privacy.requests.models import Status
from jsg_privacy.requests.notices import NoticeStatus, RecipientNotice

pytestmark = pytest.mark.django_db

HOSTING = "dpo@hosting.example"
MAIL_AND_ACCOUNTS = "privacy@mail-and-accounts.example"
GROUP = "data-protection@jsg-group.example"
SUPPLIERS = "privacy@meter-supplier.example"
PARTNERS = "partners-privacy@jsg-group.example"


@pytest.fixture
def customer():
    user = UserFactory()
    OrderFactory(user=user, email=user.email, invoiced_at=timezone.now())
    return user


def erasure_of(user=None, email=""):
    return cases.open_case(
        kind="erasure",
        email=email or user.email,
        user=user,
        channel="phone",
        identity_check="call-back to the number on the account",
        address_check="" if user else "replied from the address",
    )


def told():
    return sorted(address for message in mail.outbox for address in message.to)


def test_an_erasure_tells_every_recipient_that_received_the_customers_data(customer):
    case = erasure_of(customer)

    service.run_erasure(case.pk)

    # Hosting and e-mail/accounting hold everything, the group got the account and the order, the
    # suppliers in China the order. Partners got nothing (no box ticked), Stripe neither (no card).
    assert told() == sorted([HOSTING, MAIL_AND_ACCOUNTS, GROUP, SUPPLIERS])
    supplier = next(m for m in mail.outbox if m.to == [SUPPLIERS])
    assert case.reference in supplier.subject
    assert "Erasure" in supplier.subject
    assert customer.email in supplier.body  # whom to erase
    assert "please erase what you received from us" in supplier.body
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    notices = case.recipient_notices.all()
    assert {(n.recipient, n.event, n.status, n.attempts) for n in notices} == {
        ("hosting", "erased", "sent", 1),
        ("cloud_services", "erased", "sent", 1),
        ("group_companies", "erased", "sent", 1),
        ("suppliers_china", "erased", "sent", 1),
    }
    assert all(n.email == "" and n.references == "" for n in notices)  # not kept once told
    assert case.events.filter(action="recipient told").count() == 4


def test_a_recipient_is_told_only_when_it_received_that_kind_of_data():
    enquirer = EnquiryFactory()  # correspondence only: no order, no account

    service.run_erasure(erasure_of(email=enquirer.email).pk)

    assert told() == sorted([HOSTING, MAIL_AND_ACCOUNTS])


def test_partners_are_told_of_a_customer_who_ticked_their_box():
    user = UserFactory()
    marketing.record_choices({"partners": True}, user=user, channel="signup")

    service.run_erasure(erasure_of(user).pk)

    assert PARTNERS in told()


def test_a_mail_server_that_times_out_leaves_the_request_waiting_then_a_retry_completes_it(
    customer, silent_mail_server, caplog
):
    case = erasure_of(customer)
    email = customer.email

    with caplog.at_level(logging.INFO):
        service.run_erasure(case.pk)

    case.refresh_from_db()
    assert case.status == Status.WAITING  # erased, but not done: nobody has been told
    assert case.get_status_display() == "waiting for recipients"
    assert case.completed_at is None
    notices = list(case.recipient_notices.all())
    assert len(notices) == 4
    for notice in notices:
        assert (notice.status, notice.attempts) == (NoticeStatus.FAILED, 1)
        assert "did not answer in time" in notice.error
        assert notice.next_attempt_at > timezone.now()
        assert notice.email == email  # kept, encrypted, for the retry
    assert email not in caplog.text  # the failures are logged without the address
    assert not get_user(customer.pk)  # the erasure itself is done

    silent_mail_server.answers()
    call_command("privacy_notify_recipients")  # not due yet: the delay has not passed
    assert mail.outbox == []
    call_command("privacy_notify_recipients", "--all")

    assert told() == sorted([HOSTING, MAIL_AND_ACCOUNTS, GROUP, SUPPLIERS])
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert not case.recipient_notices.exclude(status=NoticeStatus.SENT).exists()
    assert all(n.email == "" for n in case.recipient_notices.all())


def test_due_notices_are_sent_by_the_command(customer, silent_mail_server):
    case = erasure_of(customer)
    service.run_erasure(case.pk)
    silent_mail_server.answers()

    RecipientNotice.objects.update(next_attempt_at=timezone.now())  # the delay has passed
    call_command("privacy_notify_recipients")

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert {n.attempts for n in case.recipient_notices.all()} == {2}


def test_a_recipient_without_a_contact_keeps_the_request_waiting_until_staff_record_it(
    customer, admin_client
):
    hosting = registry.recipients["hosting"]
    with registry.temporarily():
        registry.add(dataclasses.replace(hosting, contact=""))
        case = erasure_of(customer)
        service.run_erasure(case.pk)

        case.refresh_from_db()
        assert case.status == Status.WAITING
        notice = case.recipient_notices.get(recipient="hosting")
        assert notice.status == NoticeStatus.FAILED
        assert "no contact address declared" in notice.error
        page = admin_client.get(reverse("admin:jsg_privacy_case_change", args=[case.pk])).text
        assert "waiting for recipients" in page
        assert "no contact address declared" in page

        told_url = reverse("admin:jsg_privacy_recipientnotice_told", args=[notice.pk])
        refused = admin_client.post(told_url, {"how": "  "})
        assert refused.status_code == 200  # a form error; nothing recorded
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.FAILED
        admin_client.post(told_url, {"how": "erasure asked through the host's support portal"})

    notice.refresh_from_db()
    assert (notice.status, notice.result) == (NoticeStatus.SENT, "told another way by staff")
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.events.get(action="recipient told another way").detail.endswith("support portal")


def test_staff_retry_from_the_list_of_requests(customer, admin_client, silent_mail_server):
    case = erasure_of(customer)
    service.run_erasure(case.pk)
    silent_mail_server.answers()

    admin_client.post(
        reverse("admin:jsg_privacy_case_changelist"),
        {"action": "retry_recipients", "_selected_action": [case.pk]},
    )

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert len(mail.outbox) == 4


def test_a_restriction_and_its_lifting_are_told_to_the_recipients(
    customer, django_capture_on_commit_callbacks
):
    case = cases.open_case(
        kind="restriction",
        email=customer.email,
        user=customer,
        channel="letter",
        identity_check="signed letter",
    )
    with django_capture_on_commit_callbacks(execute=True):
        item = restriction.restrict(cases.subject_of(case), "accuracy contested", case=case)
    restricted = {m.to[0]: m for m in mail.outbox if m.to != [customer.email]}
    assert set(restricted) == {HOSTING, MAIL_AND_ACCOUNTS, GROUP, SUPPLIERS}
    assert "only store what you received" in restricted[SUPPLIERS].body
    case.refresh_from_db()
    assert case.status == Status.COMPLETED

    mail.outbox.clear()
    restriction.notify_before_lifting(item)
    with django_capture_on_commit_callbacks(execute=True):
        restriction.lift(item, reason="address checked")
    lifted = [m for m in mail.outbox if m.to != [customer.email]]
    assert sorted(m.to[0] for m in lifted) == sorted([HOSTING, MAIL_AND_ACCOUNTS, GROUP, SUPPLIERS])
    assert all("Restriction lifted" in m.subject for m in lifted)
    assert item.recipient_notices.filter(event="lifted", status="sent").count() == 4


def test_observers_get_a_signal_for_each_change(customer, django_capture_on_commit_callbacks):
    heard = []
    observed = {
        "rectified": signals.subject_rectified,
        "restricted": signals.processing_restricted,
        "lifted": signals.restriction_lifted,
        "erased": signals.subject_erased,
    }
    for name, signal in observed.items():
        signal.connect(
            lambda sender, name=name, **arguments: heard.append((name, arguments)),
            weak=False,
            dispatch_uid=f"test-{name}",
        )
    try:
        correction = cases.open_case(
            kind="rectification",
            email=customer.email,
            user=customer,
            channel="phone",
            identity_check="call-back",
        )
        with django_capture_on_commit_callbacks(execute=True):
            rectification.correct(correction, customer.customer_profile, {"phone": "01268 773766"})
            item = restriction.restrict(Subject(customer.pk, customer.email), "contested")
            restriction.notify_before_lifting(item)
            restriction.lift(item, reason="checked")
        service.run_erasure(erasure_of(customer).pk)
    finally:
        for name, signal in observed.items():
            signal.disconnect(dispatch_uid=f"test-{name}")

    assert [(name, sorted(arguments)) for name, arguments in heard] == [
        ("rectified", ["case", "fields", "instance", "signal", "subject"]),
        ("restricted", ["case", "restriction", "signal", "subject"]),
        ("lifted", ["case", "restriction", "signal", "subject"]),
        ("erased", ["case", "signal", "steps", "subject"]),
    ]
    rectified, restricted, lifted, erased = (arguments for _name, arguments in heard)
    assert (rectified["subject"].user_id, rectified["fields"]) == (customer.pk, ["phone"])
    assert rectified["case"] == correction
    assert restricted["restriction"] == item
    assert lifted["restriction"].lifted_at is not None
    assert erased["subject"].user_id == customer.pk
    assert {step.source for step in erased["steps"]} >= {"auth.User", "orders.Order"}


def test_a_rolled_back_restriction_tells_nobody(customer, django_capture_on_commit_callbacks):
    from django.db import transaction

    def restrict_then_fail():
        with transaction.atomic():
            restriction.restrict(Subject(customer.pk, customer.email), "contested")
            raise RuntimeError("the request failed after restricting")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        restrict_then_fail()

    assert mail.outbox == []
    assert not RecipientNotice.objects.exists()


def test_checks_name_a_recipient_without_contact_and_a_notifier_that_cannot_be_loaded():
    from jsg_privacy.notifiers.checks import check_notifiers

    with registry.temporarily():
        registry.add(
            Recipient("printer", "A printer", RecipientKind.PROCESSOR, "GB", ("order",)),
            Recipient(
                "crm",
                "A CRM",
                RecipientKind.PROCESSOR,
                "GB",
                ("account",),
                contact="dpo@crm.example",
                notifier="myshop.notifiers.Missing",
            ),
        )
        found = {(m.id, m.msg.split("'")[1]) for m in check_notifiers()}

    assert ("jsg_privacy.W045", "printer") in found
    assert ("jsg_privacy.E045", "crm") in found
    assert not any(key in {"hosting", "stripe", "court_order"} for _id, key in found)


def get_user(pk):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=pk).exists()


def test_nobody_is_told_about_someone_the_shop_holds_nothing_of():
    case = erasure_of(email="never.bought@example.net")

    service.run_erasure(case.pk)

    assert mail.outbox == []  # the request's own record is not data anyone was given
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert not case.recipient_notices.exists()


def test_the_command_refuses_a_limit_below_one():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("privacy_notify_recipients", "--limit", "0")
