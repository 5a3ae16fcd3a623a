"""Forged, expired, misdirected and stale address confirmations change nothing.

The confirmation link is what lets an account's requests include records found only by its
address. A link that is altered, too old, meant for another account, or sent to an address the
account no longer has must not prove anything, and must say so on a clear page (never a 500).
"""

import re
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from example_shop.factories import OrderFactory, UserFactory
from jsg_privacy.crypto import subjects
from jsg_privacy.requests import cases, identity
from jsg_privacy.requests.models import AddressProof, Case

pytestmark = pytest.mark.django_db

SEND = reverse("jsg_privacy:requests:send-address-link")


@pytest.fixture
def customer():
    return UserFactory()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def link_for(user):
    """Ask for a confirmation link from the account's own page; return its path."""
    signed_in(user).post(SEND)
    return re.search(r"https?://[^/\s]+(/privacy/requests/address/[^\s/]+/)", mail.outbox[-1].body)[
        1
    ]


def confirm(path, client=None):
    return (client or Client()).post(path)


def proven(user):
    return identity.address_proven(user, user.email)


def test_the_genuine_link_proves_the_address_once_its_button_is_pressed(customer):
    path = link_for(customer)
    assert mail.outbox[-1].to == [customer.email]

    looked = Client().get(path)  # a mail scanner following the link proves nothing
    assert looked.status_code == 200
    assert "Did you create this account?" in looked.text
    assert customer.get_full_name() in looked.text  # whose account it would prove
    assert not proven(customer)

    assert "Your e-mail address is confirmed" in confirm(path).text
    assert proven(customer)
    proof = AddressProof.objects.get()
    assert proof.email_key == subjects.for_email(customer.email)
    assert customer.email not in str(proof.__dict__)  # a keyed hash, never the address


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "x" * 5000,
        signing.dumps({"u": "1", "k": "0" * 32}, salt="another salt"),
        signing.dumps({"u": 1, "k": 5}, salt=identity.LINK_SALT),
        signing.dumps(["1", "k"], salt=identity.LINK_SALT),
        signing.dumps({"u": "not-a-number", "k": "0" * 32}, salt=identity.LINK_SALT),
    ],
    ids=["garbage", "too-long", "other-salt", "wrong-types", "not-a-dict", "bad-pk"],
)
def test_a_forged_or_malformed_link_is_a_clear_400_and_proves_nothing(customer, token):
    path = reverse("jsg_privacy:requests:confirm-address", args=[token])

    response = confirm(path)

    assert response.status_code == 400
    assert "This link is not valid" in response.text
    assert not AddressProof.objects.exists()


def test_a_link_altered_to_name_another_account_is_refused(customer):
    victim = UserFactory()
    token = link_for(customer).rstrip("/").rsplit("/", 1)[1]
    signature = token.rsplit(":", 1)[1]
    payload = signing.loads(token, salt=identity.LINK_SALT)
    forged_value = signing.dumps({**payload, "u": str(victim.pk)}, salt=identity.LINK_SALT)
    forged = f"{forged_value.rsplit(':', 1)[0]}:{signature}"  # the body changed, the old signature

    response = confirm(reverse("jsg_privacy:requests:confirm-address", args=[forged]))

    assert response.status_code == 400
    assert not proven(victim)
    assert not proven(customer)


def test_an_expired_link_is_a_clear_410_and_proves_nothing(customer):
    path = link_for(customer)
    later = timezone.now().timestamp() + identity.LINK_MAX_AGE.total_seconds() + 60

    with mock.patch("django.core.signing.time.time", return_value=later):
        response = confirm(path)

    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert not proven(customer)


def test_a_link_opened_while_signed_in_to_another_account_changes_nothing(customer):
    path = link_for(customer)
    attacker = UserFactory()

    response = confirm(path, signed_in(attacker))

    assert response.status_code == 403
    assert "This link is for another account" in response.text
    assert not proven(customer)
    assert not proven(attacker)
    assert not AddressProof.objects.exists()


def test_a_link_sent_before_the_address_changed_does_not_prove_the_new_one(customer):
    path = link_for(customer)
    User.objects.filter(pk=customer.pk).update(email="new.address@example.com")
    customer.refresh_from_db()

    response = confirm(path)

    assert response.status_code == 410
    assert "This link is out of date" in response.text
    assert "no longer uses" in response.text
    assert not proven(customer)


def test_a_link_for_a_closed_account_says_so(customer):
    path = link_for(customer)
    customer.delete()

    response = confirm(path)

    assert response.status_code == 410
    assert "This account no longer exists" in response.text
    assert not AddressProof.objects.exists()


def test_a_proof_holds_for_its_address_only(customer):
    confirm(link_for(customer))
    assert proven(customer)

    User.objects.filter(pk=customer.pk).update(email="someone.else@example.com")
    customer.refresh_from_db()

    assert not proven(customer)


def test_a_forged_request_link_cannot_confirm_a_case_s_address():
    OrderFactory(email="victim@example.org")
    case = cases.open_case(kind="access", email="victim@example.org", channel="web_form")
    forged = signing.dumps({"c": case.pk, "n": "0" * 32}, salt=cases.VERIFY_SALT)

    response = Client().post(reverse("jsg_privacy:requests:verify", args=[forged]))

    assert response.status_code == 410
    case.refresh_from_db()
    assert case.email_confirmed_at is None
    assert not cases.address_proven(case)
    with pytest.raises(cases.CaseError):
        cases.subject_of(case)
    assert not Case.objects.exclude(pk=case.pk).exists()


def test_resending_is_limited_and_only_for_the_signed_in_account(customer):
    client = signed_in(customer)
    for _ in range(identity.LINKS_PER_ACCOUNT.count):
        client.post(SEND)

    refused = client.post(SEND, follow=True)

    assert "several links in the last hour" in refused.text
    assert len(mail.outbox) == identity.LINKS_PER_ACCOUNT.count
    assert all(message.to == [customer.email] for message in mail.outbox)
    anonymous = Client().post(SEND)
    assert anonymous.status_code == 302  # to the log-in page: nothing sent
    assert len(mail.outbox) == identity.LINKS_PER_ACCOUNT.count
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(customer)
    assert strict.post(SEND).status_code == 403
    assert len(mail.outbox) == identity.LINKS_PER_ACCOUNT.count


def test_the_resend_button_refuses_a_redirect_off_the_site(customer):
    response = signed_in(customer).post(SEND, {"next": "https://evil.example/"})

    assert response.url == reverse("jsg_privacy:requests:your-data")
