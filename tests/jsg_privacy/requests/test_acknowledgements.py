"""Every request is acknowledged by e-mail with its reference and due date, and its completion is
told; a mail server that fails leaves the request open and the failure on its page for staff."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from example_shop.factories import DEMO_PASSWORD
from jsg_privacy.requests import cases, objection, rectification, restriction, service
from jsg_privacy.requests.models import Case, Status

pytestmark = pytest.mark.django_db

ERASE = reverse("jsg_privacy:requests:erase")
RESTRICT = reverse("jsg_privacy:requests:restrict")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the e-mails sent once a transaction commits, as the shop does outside tests."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def day(value):
    return date_format(value, "j F Y")


def letters_to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.mark.parametrize(
    ("form", "kind"),
    [
        ({"kind": "restriction", "reason": "My address is wrong."}, "restriction"),
        ({"kind": "objection", "reason": "Stop profiling me."}, "objection"),
    ],
)
def test_a_request_from_the_account_page_is_acknowledged_with_reference_and_due_date(
    customer, signed_in, committed, form, kind
):
    with committed():
        signed_in.post(RESTRICT, form)

    case = Case.objects.get()
    (letter,) = letters_to(customer.email)
    assert letter.subject == f"We have your data request {case.reference}"
    assert f"We will answer by {day(case.deadline)}." in letter.body
    assert case.get_kind_display() in letter.body
    assert case.events.filter(action="acknowledgement sent").exists()


def test_an_erasure_request_is_acknowledged_then_its_completion_told(
    customer, signed_in, committed
):
    with committed():
        signed_in.post(ERASE, {"password": DEMO_PASSWORD})
    case = Case.objects.get()
    assert [m.subject for m in letters_to(customer.email)] == [
        f"We have your data request {case.reference}"
    ]

    with committed():
        service.run_erasure(case.pk)

    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    done = letters_to(case.email)[-1]
    assert done.subject == f"Your data request {case.reference} is complete"
    assert "We have deleted your personal data" in done.body
    assert "ico.org.uk/make-a-complaint" in done.body


def test_the_due_date_runs_from_the_identity_check_not_from_receipt(committed):
    case = cases.open_case(kind="rectification", email="ann@example.com", channel="web_form")
    Case.objects.filter(pk=case.pk).update(received_at=timezone.now() - timedelta(days=10))
    assert not mail.outbox  # nothing to acknowledge until the clock starts

    with committed():
        cases.verify(cases.verification_token(case))

    case.refresh_from_db()
    assert case.due_on == cases.due_date(timezone.localdate())
    (letter,) = mail.outbox
    assert f"We will answer by {day(case.due_on)}." in letter.body


def test_rectification_restriction_and_marketing_objection_are_told_when_done(customer, committed):
    def opened(kind):
        return cases.open_case(
            kind=kind, email=customer.email, user=customer, channel="letter", identity_check="id"
        )

    with committed():
        fixed = opened("rectification")
        rectification.finish(fixed)
        limited = opened("restriction")
        restriction.restrict(cases.subject_of(limited), "accuracy contested", case=limited)
        stopped = opened("objection")
        objection.object_to_marketing(cases.subject_of(stopped), channel="letter", case=stopped)

    completions = {
        m.subject.split()[3]: m.body
        for m in letters_to(customer.email)
        if m.subject.endswith("is complete")
    }
    assert set(completions) == {fixed.reference, limited.reference, stopped.reference}
    assert "We have corrected" in completions[fixed.reference]
    assert "We have restricted" in completions[limited.reference]
    assert "stopped all marketing" in completions[stopped.reference]


def test_a_failed_acknowledgement_leaves_the_request_open_and_shows_it_to_staff(
    customer, signed_in, committed, silent_mail_server, admin_client
):
    with committed():
        response = signed_in.post(RESTRICT, {"kind": "restriction", "reason": "Wrong address."})

    assert response.status_code == 302  # the customer is not shown an error page
    case = Case.objects.get()
    assert case.status == Status.OPEN
    assert case.events.filter(action="acknowledgement could not be sent").exists()
    page = admin_client.get(reverse("admin:jsg_privacy_case_change", args=[case.pk]))
    assert "acknowledgement could not be sent" in page.text


def test_staff_find_unacknowledged_requests_and_send_the_acknowledgement_again(
    customer, signed_in, committed, silent_mail_server, admin_client
):
    with committed():
        signed_in.post(RESTRICT, {"kind": "restriction", "reason": "Wrong address."})
    case = Case.objects.get()
    changelist = reverse("admin:jsg_privacy_case_changelist")
    listed = admin_client.get(changelist, {"acknowledged": "no"})
    assert [c.pk for c in listed.context["cl"].result_list] == [case.pk]

    silent_mail_server.answers()  # the mail server is back
    done = admin_client.post(
        changelist,
        {"action": "resend_acknowledgement", "_selected_action": [case.pk]},
        follow=True,
    )

    assert "Acknowledgements sent: 1; could not be sent: 0" in done.text
    (letter,) = letters_to(customer.email)
    assert letter.subject == f"We have your data request {case.reference}"
    assert not admin_client.get(changelist, {"acknowledged": "no"}).context["cl"].result_list
