"""A guest's download link is not enough on its own: the file needs a one-time code e-mailed to
the request's address at download time, and each link serves one download.

The attacker here holds the link (a forwarded e-mail, a shared screen, a proxy log) but not the
mailbox.
"""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from example_shop.factories import OrderFactory, UserFactory
from jsg_privacy.requests import cases, downloads, service
from jsg_privacy.requests.models import ExportFile

pytestmark = pytest.mark.django_db

GUEST = "sam.jones@example.net"


@pytest.fixture
def file():
    """A guest's confirmed access request, exported, its link e-mailed."""
    OrderFactory(email=GUEST, full_name="Sam Jones")
    case = cases.open_case(kind="access", email=GUEST, channel="web_form")
    cases.mark_verified(case, "signed link e-mailed to the requester's address", address=True)
    exported = service.run_export(case.pk)
    downloads.notify_ready(exported, "https://shop.example")
    return exported


def link_in(message):
    return re.search(r"https?://[^/\s]+(/privacy/requests/download/[^\s/]+/)", message.body)[1]


def code_in(message):
    return re.search(r"^\s+(\d{6})$", message.body, re.M)[1]


def served(response):
    return response.get("Content-Type") == "application/zip"


def test_the_link_without_its_code_gets_nothing(file):
    url = link_in(mail.outbox[0])
    stranger = Client()

    for answer in ({}, {"code": ""}, {"code": "000000"}, {"email": GUEST}, {"password": "x"}):
        response = stranger.post(url, answer)
        assert not served(response), answer
    assert ExportFile.objects.get().downloaded_at is None
    assert len(mail.outbox) == 1  # no code was sent: nobody asked for one


def test_the_code_goes_only_to_the_request_s_address(file):
    url = link_in(mail.outbox[0])

    Client().post(url, {"action": "send-code", "email": "attacker@example.com"})

    assert mail.outbox[-1].to == [GUEST]
    assert "attacker" not in mail.outbox[-1].body


def test_the_link_serves_one_download(file):
    url = link_in(mail.outbox[0])
    client = Client()
    client.post(url, {"action": "send-code"})
    assert served(client.post(url, {"code": code_in(mail.outbox[-1])}))

    again = Client().post(url, {"action": "send-code"})

    assert again.status_code == 410
    assert "already been used" in again.text
    assert len(mail.outbox) == 2  # no new code for a used link


def test_a_used_link_can_ask_for_a_fresh_one_sent_to_the_same_address(file):
    url = link_in(mail.outbox[0])
    client = Client()
    client.post(url, {"action": "send-code"})
    client.post(url, {"code": code_in(mail.outbox[-1])})

    client.post(url, {"action": "new-link"})

    fresh = mail.outbox[-1]
    assert fresh.to == [GUEST]
    new_url = link_in(fresh)
    assert new_url != url
    client.post(new_url, {"action": "send-code"})
    assert served(client.post(new_url, {"code": code_in(mail.outbox[-1])}))


def test_a_code_for_another_file_does_not_open_this_one(file):
    other_case = cases.open_case(kind="access", email="other@example.net", channel="web_form")
    cases.mark_verified(other_case, "link", address=True)
    other = service.run_export(other_case.pk)
    other_url = reverse("jsg_privacy:requests:download", args=[downloads.token_for(other)])
    Client().post(other_url, {"action": "send-code"})
    others_code = code_in(mail.outbox[-1])

    response = Client().post(link_in(mail.outbox[0]), {"code": others_code})

    assert not served(response)


def test_an_old_code_stops_working_when_a_new_one_is_sent(file):
    url = link_in(mail.outbox[0])
    client = Client()
    client.post(url, {"action": "send-code"})
    first = code_in(mail.outbox[-1])
    client.post(url, {"action": "send-code"})
    second = code_in(mail.outbox[-1])
    if first == second:  # one in a million
        pytest.skip("the two random codes happened to be equal")

    assert not served(client.post(url, {"code": first}))
    assert served(client.post(url, {"code": second}))


def test_a_code_expires(file):
    url = link_in(mail.outbox[0])
    client = Client()
    client.post(url, {"action": "send-code"})
    code = code_in(mail.outbox[-1])
    later = timezone.now() + downloads.CODE_MAX_AGE + timedelta(seconds=1)

    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.post(url, {"code": code})

    assert not served(response)
    assert "no longer works" in response.text


def test_guessing_ends_the_code_and_then_locks_the_link(file):
    url = link_in(mail.outbox[0])
    client = Client()
    client.post(url, {"action": "send-code"})
    code = code_in(mail.outbox[-1])
    wrong = [f"{(int(code) + n) % 10**6:06d}" for n in range(1, 6)]

    for guess in wrong:
        assert not served(client.post(url, {"code": guess}))

    assert ExportFile.objects.get().code_hash == ""  # the real code no longer works
    locked = Client(REMOTE_ADDR="198.51.100.20").post(url, {"code": code})
    assert locked.status_code == 429
    assert not served(locked)


def test_codes_cannot_flood_the_guest_s_mailbox(file):
    url = link_in(mail.outbox[0])
    client = Client()
    for _ in range(5):
        assert client.post(url, {"action": "send-code"}).status_code == 200

    refused = client.post(url, {"action": "send-code"})

    assert refused.status_code == 429
    assert len(mail.outbox) == 1 + 5


def test_looking_at_the_page_sends_nothing(file):
    url = link_in(mail.outbox[0])

    for _ in range(3):
        assert Client().get(url).status_code == 200

    assert len(mail.outbox) == 1


def test_empty_or_early_answers_do_not_lock_the_link(file):
    url = link_in(mail.outbox[0])
    stranger = Client(REMOTE_ADDR="198.51.100.30")
    for answer in ({}, {"code": ""}, {"code": "12x"}, {"code": "123456"}):  # no code asked for yet
        assert not served(stranger.post(url, answer))

    owner = Client()
    owner.post(url, {"action": "send-code"})

    assert served(owner.post(url, {"code": code_in(mail.outbox[-1])}))


def test_a_code_typed_with_full_width_digits_works(file):
    url = link_in(mail.outbox[0])
    client = Client()
    client.post(url, {"action": "send-code"})
    code = code_in(mail.outbox[-1])
    wide = "".join(chr(0xFF10 + int(c)) for c in code)  # FULLWIDTH DIGIT ZERO onwards

    assert served(client.post(url, {"code": wide}))


def test_an_erased_account_s_export_link_gives_nothing(django_capture_on_commit_callbacks):
    customer = UserFactory()
    case = cases.open_case(
        kind="access", email=customer.email, channel="account", user=customer, identity_check="x"
    )
    exported = service.run_export(case.pk)
    url = reverse("jsg_privacy:requests:download", args=[downloads.token_for(exported)])
    customer.delete()  # the account is gone: its case no longer names it

    response = Client().post(url, {"action": "send-code"})

    assert response.status_code == 410
    assert "This account no longer exists" in response.text
    assert len(mail.outbox) == 0  # no code sent to anyone
