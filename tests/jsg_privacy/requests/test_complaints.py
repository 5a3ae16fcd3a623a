"""Data-protection complaints (DPA 2018 s.164A): easy to make, acknowledged at once, kept informed,
answered with the ICO route, and listed when late."""

import socket
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from example_shop.factories import UserFactory
from jsg_privacy.requests import cases, complaints
from jsg_privacy.requests.models import Case, Complaint, Kind, Letter, Status
from tests.jsg_privacy.requests.conftest import MailServer

pytestmark = pytest.mark.django_db
COMPLAIN = reverse("jsg_privacy:requests:complain")
COMPLAINTS = reverse("admin:jsg_privacy_complaint_changelist")
LONDON = ZoneInfo("Europe/London")
GRIEVANCE = "You sent the installation address of my meter to a courier I never heard of."


def on(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=LONDON), tick=False
    )


@pytest.fixture
def mail_server_down(settings):
    """A real SMTP connection to a port nobody listens on: refused, as a dead mail server is."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return MailServer(settings, port)  # EMAIL_BACKEND, or MAILERS from Django 6.1


def test_a_complaint_without_an_address_gets_a_field_error_and_nothing_is_recorded(client):
    page = client.get(COMPLAIN)
    assert page.status_code == 200
    assert "Information Commissioner" in page.text
    refused = client.post(COMPLAIN, {"email": "", "details": GRIEVANCE})
    assert refused.status_code == 200
    assert "Give an e-mail address" in refused.context["form"].errors["email"][0]
    assert GRIEVANCE in refused.text  # what they wrote is kept on the page
    mistyped = client.post(COMPLAIN, {"email": "ann@", "details": GRIEVANCE})
    assert mistyped.context["form"].errors["email"]
    empty = client.post(COMPLAIN, {"email": "ann@example.com", "details": " "})
    assert empty.context["form"].errors["details"]
    assert not Case.objects.exists()
    assert not mail.outbox


def test_a_public_complaint_is_acknowledged_at_once_with_its_reference_and_the_ico_route(client):
    with on(date(2026, 7, 1)):
        response = client.post(COMPLAIN, {"email": "ann@example.com", "details": GRIEVANCE})
        received = client.get(response["Location"])
    assert response.status_code == 302
    case = Complaint.objects.get()
    assert (case.kind, case.status, case.channel) == (Kind.COMPLAINT, Status.OPEN, "web_form")
    assert case.reference.startswith("CMP-2026-")
    assert case.details == GRIEVANCE
    ack = mail.outbox[-1]
    assert ack.to == ["ann@example.com"]
    assert case.reference in ack.subject
    assert "ico.org.uk" in ack.body
    assert "&#x27;" not in ack.body
    assert case.acknowledged_at is not None
    assert case.due_on == date(2026, 9, 29)  # the outcome: 90 days after receipt
    assert Letter.objects.get(case=case).body == ack.body
    assert list(case.events.values_list("action", flat=True)) == [
        "complaint received",
        "acknowledgement sent",
    ]
    assert case.reference in received.text
    assert "e-mailed you an acknowledgement" in received.text


def test_a_signed_in_customer_complains_from_your_data(client):
    user = UserFactory(email="bob@example.com")
    client.force_login(user)
    your_data = client.get(reverse("jsg_privacy:requests:your-data"))
    assert COMPLAIN in your_data.text
    form = client.get(COMPLAIN)
    assert 'value="bob@example.com"' in form.text
    client.post(COMPLAIN, {"email": "bob@example.com", "details": GRIEVANCE})
    case = Complaint.objects.get()
    assert (case.user, case.channel) == (user, "account")
    rows = client.get(reverse("jsg_privacy:requests:your-data"))
    assert case.reference in rows.text


def test_with_the_mail_server_down_the_complaint_is_kept_and_late_acknowledgement_is_listed(
    client, admin_client, mail_server_down
):
    with on(date(2026, 7, 1)):
        response = client.post(COMPLAIN, {"email": "ann@example.com", "details": GRIEVANCE})
        case = Complaint.objects.get()
        assert case.acknowledged_at is None
        assert "could not e-mail you an acknowledgement" in client.get(response["Location"]).text
    assert case.due_on == date(2026, 7, 31)
    assert case.events.filter(action="acknowledgement could not be sent").exists()
    assert not Complaint.objects.overdue(date(2026, 7, 31))
    assert list(Complaint.objects.overdue(date(2026, 8, 1))) == [case]

    mail_server_down.answers()
    with on(date(2026, 8, 1)):
        late = admin_client.get(COMPLAINTS, {"overdue": "yes"})
        assert [c.pk for c in late.context["cl"].result_list] == [case.pk]
        page = admin_client.get(reverse("admin:jsg_privacy_complaint_change", args=[case.pk]))
        assert "Send the acknowledgement" in page.text
        ack = reverse("admin:jsg_privacy_complaint_acknowledge", args=[case.pk])
        form = admin_client.get(ack)
        assert case.reference in form.context["form"].initial["text"]  # the standard text, to edit
        admin_client.post(ack, {"text": "Sorry for the delay. We are looking into it."})
    case.refresh_from_db()
    assert case.acknowledged_at is not None
    assert mail.outbox[-1].body == "Sorry for the delay. We are looking into it."
    assert not Complaint.objects.overdue(date(2026, 8, 2))


def test_staff_log_a_phone_complaint_with_their_own_acknowledgement(admin_client, admin_user):
    add = reverse("admin:jsg_privacy_complaint_add")
    assert admin_client.get(add).status_code == 200
    text = "Thank you for your call today. We will look into the courier and write again."
    response = admin_client.post(
        add,
        {
            "channel": "phone",
            "email": "cy@example.com",
            "details": GRIEVANCE,
            "acknowledgement": text,
        },
    )
    assert response.status_code == 302
    case = Complaint.objects.get()
    assert case.channel == "phone"
    assert mail.outbox[-1].body == text
    assert case.events.get(action="acknowledgement sent").actor == admin_user
    assert Letter.objects.get(case=case).sent_by == admin_user


def test_updates_and_the_outcome_letter_which_always_names_the_ico(admin_client, admin_user):
    case = complaints.receive(email="ann@example.com", details=GRIEVANCE, channel="email")
    update = reverse("admin:jsg_privacy_complaint_update", args=[case.pk])
    assert admin_client.post(update, {"text": ""}).status_code == 200  # a field error
    admin_client.post(update, {"text": "We have asked the courier what they hold."})
    assert mail.outbox[-1].body == "We have asked the courier what they hold."
    outcome = reverse("admin:jsg_privacy_complaint_outcome", args=[case.pk])
    admin_client.post(outcome, {"text": "The courier deleted the address; we changed supplier."})
    letter = mail.outbox[-1]
    assert letter.body.startswith("The courier deleted the address")
    assert "Information Commissioner's Office" in letter.body
    assert "https://ico.org.uk/make-a-complaint/" in letter.body
    assert "0303 123 1113" in letter.body
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert [letter.kind for letter in case.letters.all()] == [
        "acknowledgement",
        "update",
        "outcome",
    ]
    trail = list(case.events.values_list("action", flat=True))
    assert trail[-2:] == ["progress update sent", "outcome sent, with the ICO route"]
    again = admin_client.post(update, {"text": "One more thing"})
    assert "nothing more can be sent" in again.text
    assert len(mail.outbox) == 3
    with pytest.raises(cases.CaseError, match="nothing more"):
        complaints.outcome(case, "again")


def test_an_unanswered_complaint_is_overdue_after_the_outcome_target(settings):
    settings.JSG_PRIVACY_COMPLAINT_OUTCOME_DAYS = 60
    with on(date(2026, 7, 1)):
        case = complaints.receive(email="ann@example.com", details=GRIEVANCE, channel="letter")
    assert case.due_on == date(2026, 8, 30)
    assert not Complaint.objects.overdue(date(2026, 8, 30))
    assert list(Complaint.objects.overdue(date(2026, 8, 31))) == [case]


def test_complaints_and_requests_have_their_own_lists(admin_client):
    complaint = complaints.receive(email="ann@example.com", details=GRIEVANCE, channel="email")
    request = cases.open_case(kind="access", email="ann@example.com", channel="email")
    dsr = admin_client.get(reverse("admin:jsg_privacy_case_changelist"))
    assert [c.pk for c in dsr.context["cl"].result_list] == [request.pk]
    listed = admin_client.get(COMPLAINTS)
    assert [c.pk for c in listed.context["cl"].result_list] == [complaint.pk]
    add_request = admin_client.get(reverse("admin:jsg_privacy_case_add"))
    assert 'value="complaint"' not in add_request.text


def test_the_notice_says_to_complain_to_the_shop_first_then_the_ico(client):
    notice = client.get(reverse("jsg_privacy:notice"))
    assert "please tell us first" in notice.text
    assert f'href="{COMPLAIN}"' in notice.text
    assert "acknowledge every complaint within 30" in notice.text
    assert "https://ico.org.uk/make-a-complaint/" in notice.text


def test_clarification_cannot_pause_a_complaint():
    from jsg_privacy.requests import clock

    case = complaints.receive(email="ann@example.com", details=GRIEVANCE, channel="email")
    with pytest.raises(cases.CaseError, match="no clarification"):
        clock.ask(case, "What courier?", reply_url=lambda token: token)
    assert timedelta(days=30) == complaints.ACKNOWLEDGE_WITHIN


def test_the_form_shares_the_public_forms_rate_limits(client):
    from django.core.cache import cache

    cache.clear()
    answers = [
        client.post(COMPLAIN, {"email": "ann@example.com", "details": GRIEVANCE}).status_code
        for _ in range(4)
    ]
    assert answers == [302, 302, 302, 429]
    assert Complaint.objects.count() == 3
