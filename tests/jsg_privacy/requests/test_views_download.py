"""Downloading an export: the e-mailed signed link, the second factor (a password, or a one-time
code e-mailed at download time), expiry, and whose file it is."""

import io
import json
import re
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from example_shop.factories import DEMO_PASSWORD, EnquiryFactory, OrderFactory, UserFactory
from jsg_privacy.requests import cases, downloads, service
from jsg_privacy.requests.models import ExportFile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def guest_export(email="sam.jones@example.net"):
    """A verified request from the public form, exported."""
    case = cases.open_case(kind="access", email=email, channel="web_form")
    cases.mark_verified(case, "signed link e-mailed to the requester's address", address=True)
    return service.run_export(case.pk)


def ask_for_code(client, url):
    """Press "E-mail me a code"; return the code from the e-mail it sends."""
    sent = len(mail.outbox)
    page = client.post(url, {"action": "send-code"})
    assert page.status_code == 200, page.text
    assert len(mail.outbox) == sent + 1
    return re.search(r"^\s+(\d{6})$", mail.outbox[-1].body, re.M).group(1)


def guest_download(client, file):
    url = url_of(file)
    return client.post(url, {"code": ask_for_code(client, url)})


def account_export(user):
    case = cases.open_case(
        kind="access", email=user.email, channel="account", user=user, identity_check="logged in"
    )
    return service.run_export(case.pk)


def url_of(file):
    return reverse("jsg_privacy:requests:download", args=[downloads.token_for(file)])


def data_of(response):
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data.json"))


def emails_in(data):
    return json.dumps(data)


def test_a_guest_downloads_with_the_e_mailed_link_and_a_code_e_mailed_at_download_time(client):
    OrderFactory(email="sam.jones@example.net")
    file = guest_export()
    url = url_of(file)

    page = client.get(url)
    assert page.status_code == 200
    assert "we e-mail a one-time code to the address you made the request with" in page.text
    assert not mail.outbox  # looking at the page sends nothing (mail scanners follow links)

    code = ask_for_code(client, url)
    assert mail.outbox[-1].to == ["sam.jones@example.net"]
    response = client.post(url, {"code": f" {code[:3]} {code[3:]} "})

    data = data_of(response)
    assert data["subject"]["email"] == "sam.jones@example.net"
    file.refresh_from_db()
    assert file.downloaded_at is not None
    event = file.case.events.get(action="downloaded")
    assert event.detail == f"export file {file.pk}"
    assert code not in " ".join(e.detail for e in file.case.events.all())


def test_a_guest_with_a_wrong_code_gets_nothing(client):
    file = guest_export()
    url = url_of(file)
    code = ask_for_code(client, url)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    response = client.post(url, {"code": wrong})

    assert response.status_code == 200
    assert not response.has_header("Content-Disposition")
    assert "That code is wrong or no longer works" in response.text
    assert ExportFile.objects.get().downloaded_at is None
    refused = file.case.events.get(action="download refused")
    assert refused.detail == "wrong or expired download code"


def test_after_five_wrong_answers_the_link_is_locked_for_a_while(client):
    file = guest_export()
    url = url_of(file)
    code = ask_for_code(client, url)
    for n in range(5):
        client.post(url, {"code": f"{(int(code) + n + 1) % 10**6:06d}"})

    locked = Client(REMOTE_ADDR="203.0.113.9").post(url, {"code": code})

    assert locked.status_code == 429
    assert not locked.has_header("Content-Disposition")


def test_the_owner_must_be_signed_in_as_themselves(client):
    owner, other = UserFactory(), UserFactory()
    url = url_of(account_export(owner))

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("accounts:login"))
    assert "next=" in anonymous.url
    assert client.post(url, {"email": owner.email}).status_code == 302  # no guest route

    client.force_login(other)
    response = client.post(url, {"password": DEMO_PASSWORD})

    assert response.status_code == 403
    assert "This download is for another account" in response.text
    assert not response.has_header("Content-Disposition")


def test_each_subject_downloads_only_their_own_data():
    people = [UserFactory() for _ in range(4)]
    for person in people:
        OrderFactory.create_batch(2, user=person, email=person.email)
        EnquiryFactory(email=person.email)
    files = [account_export(person) for person in people]
    OrderFactory(email="guest.only@example.net")
    guest = guest_export("guest.only@example.net")

    for person, file in zip(people, files, strict=True):
        client = Client()
        client.force_login(person)
        text = emails_in(data_of(client.post(url_of(file), {"password": DEMO_PASSWORD})))
        assert person.email in text
        assert not [p.email for p in people if p != person and p.email in text]
        assert "guest.only@example.net" not in text
        for other_file in files:
            if other_file != file:
                refused = client.post(url_of(other_file))
                assert refused.status_code == 403
    guest_text = emails_in(data_of(guest_download(Client(), guest)))
    assert not [p.email for p in people if p.email in guest_text]


def test_an_expired_file_is_gone_with_a_clear_page(client):
    file = guest_export()
    url = url_of(file)
    ExportFile.objects.filter(pk=file.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    looked_at = client.get(url)
    posted = client.post(url, {"action": "send-code"})

    assert looked_at.status_code == posted.status_code == 410
    assert not mail.outbox
    assert "This link has expired" in posted.text
    assert "Make a new request" in posted.text


def test_a_purged_file_is_gone_and_the_command_deletes_expired_files(client):
    file = guest_export()
    url = url_of(file)
    out = io.StringIO()
    call_command("privacy_purge_exports", stdout=out)
    assert "Deleted 0 expired export file(s)." in out.getvalue()

    later = file.expires_at + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("privacy_purge_exports", stdout=out)

    assert "Deleted 1 expired export file(s)." in out.getvalue()
    assert not service.storage().exists(file.name)
    assert client.post(url, {"action": "send-code"}).status_code == 410


def test_a_file_missing_from_storage_is_a_410_not_a_500(client):
    file = guest_export()
    service.storage().delete(file.name)

    response = guest_download(client, file)

    assert response.status_code == 410


def test_the_link_itself_expires_with_the_setting(client, settings):
    file = guest_export()
    url = url_of(file)
    settings.JSG_PRIVACY_EXPORT_LINK_MAX_AGE = 1
    later = timezone.now().timestamp() + 2 * 3600

    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(url)

    assert response.status_code == 410


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "a" * 3000,
        signing.dumps({"f": 1, "r": "DSR-2026-000001"}, salt="another salt"),
        signing.dumps({"f": "1", "r": 5}, salt=downloads.SALT),
        signing.dumps([1, 2], salt=downloads.SALT),
    ],
    ids=["garbage", "too-long", "other-salt", "wrong-types", "not-a-dict"],
)
def test_a_forged_or_malformed_link_is_refused(client, token):
    guest_export()

    response = client.post(
        reverse("jsg_privacy:requests:download", args=[token]), {"action": "send-code"}
    )

    assert response.status_code == 400
    assert not mail.outbox
    assert "This link is not valid" in response.text


def test_a_link_naming_another_case_is_refused(client):
    mine, theirs = guest_export(), guest_export("other@example.net")
    forged = signing.dumps(
        {"f": theirs.pk, "r": mine.case.reference, "n": theirs.link_nonce}, salt=downloads.SALT
    )

    response = client.post(
        reverse("jsg_privacy:requests:download", args=[forged]), {"action": "send-code"}
    )

    assert response.status_code == 400
    assert not mail.outbox


def test_the_ready_e_mail_is_sent_once_per_file():
    file = guest_export()

    assert downloads.notify_ready(file, "https://shop.example")
    assert not downloads.notify_ready(file, "https://shop.example")
    assert len(mail.outbox) == 1
    assert "https://shop.example/privacy/requests/download/" in mail.outbox[0].body
    assert "e-mails a one-time code to this address" in mail.outbox[0].body


def test_downloading_needs_the_csrf_token():
    file = guest_export()
    strict = Client(enforce_csrf_checks=True)

    for answer in ({"action": "send-code"}, {"code": "123456"}):
        response = strict.post(url_of(file), answer)
        assert response.status_code == 403
    assert ExportFile.objects.get().downloaded_at is None
    assert not mail.outbox


def test_a_link_to_an_export_deleted_with_its_request_shows_a_clear_page(client):
    file = guest_export()
    url = url_of(file)
    file.case.delete()  # the request and its export, gone (e.g. closed and removed by staff)

    looked_at = client.get(url)
    posted = client.post(url, {"action": "send-code"})

    assert looked_at.status_code == posted.status_code == 410
    assert "This file has been deleted" in looked_at.text
    assert "nothing was sent" in looked_at.text
    assert "Make a new request" in looked_at.text
    assert "altered" not in looked_at.text  # a genuine link, not called a forged one
    assert not mail.outbox


def test_a_link_to_an_export_deleted_before_it_expired_says_deleted_not_expired(client):
    file = guest_export()
    service.delete_exports([file])  # as an erasure does, hours before the link would expire

    page = client.get(url_of(file))

    assert page.status_code == 410
    assert "This file has been deleted" in page.text
    assert "This link has expired" not in page.text
