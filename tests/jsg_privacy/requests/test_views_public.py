"""The public request form and the e-mailed identity link, as a guest or an enquirer uses them."""

import re
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from example_shop.factories import EnquiryFactory, OrderFactory, UserFactory
from jsg_privacy.requests import cases
from jsg_privacy.requests.models import Case, Channel, ExportFile, Status

pytestmark = pytest.mark.django_db

NEW = reverse("jsg_privacy:requests:new")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
LINK = re.compile(r"https?://\S+/privacy/requests/(verify|download)/(\S+)/")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def ask(client, email="sam.jones@example.net", kind="access", details="", **extra):
    return client.post(NEW, {"email": email, "kind": kind, "details": details}, **extra)


def link_in(message, kind="verify"):
    found = [m for m in LINK.finditer(message.body) if m.group(1) == kind]
    assert found, f"no {kind} link in the e-mail"
    return found[0].group(0).split("testserver", 1)[1]


def test_the_form_names_every_right_and_sends_a_confirmation_link(client):
    page = client.get(NEW)
    assert page.status_code == 200
    for label in ["A copy of my data", "Correct data about me", "Delete my data", "Limit what"]:
        assert label in page.text

    response = ask(client, kind="erasure", details="I sent an enquiry in March.", follow=True)

    assert response.redirect_chain == [(reverse("jsg_privacy:requests:sent"), 302)]
    assert "Check your inbox" in response.text
    case = Case.objects.get()
    assert (case.kind, case.channel, case.status) == ("erasure", Channel.WEB_FORM, "unverified")
    assert case.details == "I sent an enquiry in March."
    assert mail.outbox[0].to == ["sam.jones@example.net"]
    assert case.reference in mail.outbox[0].subject


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_mail():
    customer = UserFactory()
    EnquiryFactory(email="enquirer@example.net")

    answers = []
    for email in [customer.email, "enquirer@example.net", "nobody-here@example.org"]:
        response = ask(Client(), email=email, follow=True)
        page = CSRF.sub("", response.text)
        answers.append((response.status_code, response.redirect_chain, page))

    assert answers[0] == answers[1] == answers[2]
    assert [m.to for m in mail.outbox] == [
        [customer.email],
        ["enquirer@example.net"],
        ["nobody-here@example.org"],
    ]
    bodies = {re.sub(r"DSR-\S+|https?://\S+", "", m.body) for m in mail.outbox}
    assert len(bodies) == 1


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": "a" * 250 + "@example.com"}, "email", "at most 254 characters"),
        ({"kind": "everything"}, "kind", "Select a valid choice."),
        ({"details": "x" * 5001}, "details", "at most 5000 characters"),
        ({"details": "null\x00byte"}, "details", "Null characters are not allowed."),
        ({"kind": "rectification", "details": " "}, "details", "what is wrong"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_sent(client, data, field, error):
    response = client.post(NEW, {"email": "sam@example.net", "kind": "access", **data})

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert 'role="alert"' in response.text
    assert not Case.objects.exists()
    assert mail.outbox == []


def test_more_than_three_requests_an_hour_for_one_address_are_refused():
    for n in range(3):
        assert ask(Client(REMOTE_ADDR=f"198.51.100.{n}")).status_code == 302

    refused = ask(Client(REMOTE_ADDR="198.51.100.99"), email="SAM.Jones@example.net ")

    assert refused.status_code == 429
    assert "Too many requests" in refused.text
    assert int(refused["Retry-After"]) > 0
    assert len(mail.outbox) == 3
    assert Case.objects.count() == 3
    assert ask(Client(REMOTE_ADDR="198.51.100.99"), email="other@example.net").status_code == 302


def test_more_than_ten_requests_an_hour_from_one_client_are_refused(client):
    for n in range(10):
        assert ask(client, email=f"person{n}@example.net").status_code == 302

    refused = ask(client, email="person10@example.net")

    assert refused.status_code == 429
    assert len(mail.outbox) == 10
    assert ask(Client(REMOTE_ADDR="203.0.113.7"), email="person10@example.net").status_code == 302


def test_rate_limits_store_no_address(client):
    ask(client, email="sam.jones@example.net")
    stored = " ".join(str(key) for key in cache._cache)  # locmem's store, in the test settings

    assert "sam.jones" not in stored
    assert "127.0.0.1" not in stored


def test_opening_the_link_only_shows_a_button_the_button_confirms(client):
    ask(client, kind="rectification", details="My postcode is SS14 3AE, not SS14 3EA.")
    url = link_in(mail.outbox[0])

    page = client.get(url)  # what a mail scanner does
    assert page.status_code == 200
    assert "Yes, I made this request" in page.text
    assert Case.objects.get().status == Status.UNVERIFIED
    assert client.get(url).status_code == 200  # still usable

    done = client.post(url)

    assert done.status_code == 200
    assert "your request is confirmed" in done.text
    case = Case.objects.get()
    assert case.status == Status.OPEN
    assert case.identity_check.startswith("signed link")
    assert not ExportFile.objects.exists()


def test_a_used_link_is_refused_with_a_clear_page(client):
    ask(client, kind="objection", details="Stop profiling me.")
    url = link_in(mail.outbox[0])
    client.post(url)

    again = client.post(url)
    looked_at = client.get(url)

    assert again.status_code == looked_at.status_code == 410
    assert "already been used" in again.text
    assert Case.objects.get().events.filter(action="identity confirmed").count() == 1


@pytest.mark.parametrize(
    "mangle",
    [
        lambda url: url.replace("/verify/", "/verify/x"),
        lambda url: url[:-6] + "AAAAA/",
        lambda url: "/privacy/requests/verify/" + "a" * 3000 + "/",
        lambda url: "/privacy/requests/verify/%00%3Cscript%3E/",
    ],
)
def test_a_forged_link_is_refused_and_changes_nothing(client, mangle):
    ask(client)
    url = mangle(link_in(mail.outbox[0]))

    assert client.get(url).status_code == 400
    response = client.post(url)

    assert response.status_code == 400
    assert "This link is not valid" in response.text
    assert Case.objects.get().status == Status.UNVERIFIED


def test_an_expired_link_is_refused_and_changes_nothing(client):
    ask(client)
    url = link_in(mail.outbox[0])
    later = timezone.now().timestamp() + 25 * 3600

    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(url)

    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert Case.objects.get().status == Status.UNVERIFIED


def test_a_link_for_another_case_cannot_be_made_from_a_real_one(client):
    ask(client, email="ann@example.net")
    ask(client, email="bob@example.net")
    ann = Case.objects.get(email_digest__matches="ann@example.net")
    forged = cases.signing.dumps({"c": ann.pk, "n": "0" * 32}, salt="another salt")

    response = client.post(reverse("jsg_privacy:requests:verify", args=[forged]))

    assert response.status_code == 400
    assert not Case.objects.exclude(status=Status.UNVERIFIED).exists()


def test_an_unverified_request_never_produces_data(client, django_capture_on_commit_callbacks):
    OrderFactory(email="sam.jones@example.net")

    with django_capture_on_commit_callbacks(execute=True):
        ask(client)
        client.get(link_in(mail.outbox[0]))

    assert not ExportFile.objects.exists()
    assert len(mail.outbox) == 1
    assert LINK.search(mail.outbox[0].body).group(1) == "verify"


def test_a_confirmed_access_request_e_mails_a_download_link(
    client, django_capture_on_commit_callbacks
):
    OrderFactory(email="sam.jones@example.net")
    ask(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link_in(mail.outbox[0]))

    assert "We are preparing your data" in response.text
    case = Case.objects.get()
    assert case.status == Status.COMPLETED
    assert case.outcome["rows"]["orders.Order"] == 1
    ready = mail.outbox[-1]
    assert ready.to == ["sam.jones@example.net"]
    assert "ready to download" in ready.subject
    assert "/privacy/requests/download/" in link_in(ready, "download")
    acknowledged = mail.outbox[-2]  # sent once the address was confirmed: the clock started
    assert acknowledged.subject == f"We have your data request {case.reference}"
    assert list(case.events.values_list("action", flat=True)) == [
        "received",
        "identity link sent",
        "identity confirmed",
        "clock started",
        "address confirmed",
        "acknowledgement sent",
        "completed",
        "download link sent",
    ]


def test_every_post_needs_the_csrf_token():
    ask(Client())
    url = link_in(mail.outbox[0])
    strict = Client(enforce_csrf_checks=True)

    assert ask(strict, email="other@example.net").status_code == 403
    assert strict.get(url).status_code == 200
    assert strict.post(url).status_code == 403
    assert Case.objects.count() == 1
    assert Case.objects.get().status == Status.UNVERIFIED


def test_a_signed_in_customer_is_pointed_to_their_data_page(client):
    client.force_login(UserFactory())

    page = client.get(NEW)

    assert reverse("jsg_privacy:requests:your-data") in page.text
