"""One-click unsubscribe: the link, the RFC 8058 headers, and links that are forged or too old."""

import time

import pytest
from django.core import mail, signing
from django.core.mail import EmailMessage
from django.test import Client, override_settings

from jsg_privacy.crypto import subjects
from jsg_privacy.marketing import api, tokens
from jsg_privacy.marketing.models import MarketingConsent, Suppression

pytestmark = pytest.mark.django_db

EMAIL = "amelia.hughes@example.co.uk"
BASE = "https://shop.example"


@pytest.fixture
def subscribed():
    api.record_choices({"email": True, "sms": True}, email=EMAIL, channel="checkout")


def made_days_ago(monkeypatch, days, make):
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - days * 86400)
    try:
        return make()
    finally:
        monkeypatch.setattr(signing.time, "time", real)


def test_the_link_carries_no_e_mail_address():
    url = api.unsubscribe_url(EMAIL, base_url=BASE + "/")

    assert url.startswith(BASE + "/privacy/marketing/unsubscribe/")
    assert "amelia" not in url.lower()
    assert "example.co.uk" not in url
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert tokens.read_unsubscribe(token) == tokens.Unsubscribe(subjects.for_email(EMAIL), "email")


def test_list_unsubscribe_headers_follow_rfc_8058():
    message = EmailMessage("News", "Hello", to=[EMAIL])

    api.add_unsubscribe_headers(message, EMAIL, base_url=BASE)
    message.send()

    (sent,) = mail.outbox
    raw = sent.message()
    assert raw["List-Unsubscribe"] == f"<{api.unsubscribe_url(EMAIL, base_url=BASE)}>"
    assert raw["List-Unsubscribe"].startswith(
        "<https://shop.example/privacy/marketing/unsubscribe/"
    )
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_headers_need_an_absolute_url():
    with pytest.raises(ValueError, match="base_url"):
        api.add_unsubscribe_headers(EmailMessage(to=[EMAIL]), EMAIL, base_url="")


def test_following_the_link_asks_first_and_changes_nothing(client, subscribed, records):
    response = client.get(api.unsubscribe_url(EMAIL))

    assert response.status_code == 200
    assert "Unsubscribe from marketing e-mails?" in response.text
    assert '<button type="submit"' in response.text
    assert api.may_contact(email=EMAIL)
    assert [r.action for r in records()] == ["given", "given"]


def test_one_click_unsubscribes_suppresses_and_records_it_once(subscribed, records):
    # A mail provider's one-click request: no cookies, no CSRF token (RFC 8058).
    provider = Client(enforce_csrf_checks=True)
    url = api.unsubscribe_url(EMAIL)

    response = provider.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "You are unsubscribed" in response.text
    assert not api.may_contact(email=EMAIL)
    assert api.may_contact(email=EMAIL, medium="sms")  # only e-mail was unsubscribed
    assert api.is_suppressed(EMAIL)
    (record,) = records(action="unsubscribed")
    assert (record.channel, record.medium, record.purpose) == ("unsubscribe", "email", "marketing")
    assert len(record.version) == 64

    again = provider.post(url, {"List-Unsubscribe": "One-Click"})

    assert again.status_code == 200
    assert "already unsubscribed" in again.text
    assert len(records(action="unsubscribed")) == 1


def test_an_all_link_stops_every_medium(client, subscribed, records):
    client.post(api.unsubscribe_url(EMAIL, "all"))

    assert not api.may_contact(email=EMAIL)
    assert not api.may_contact(email=EMAIL, medium="sms")
    assert {r.medium for r in records(action="unsubscribed")} == {"email", "sms", "phone", "post"}


def test_the_link_reaches_a_signed_in_customers_choices(customer, client, records):
    api.record_choices({"email": True}, user=customer, channel="signup")

    client.post(api.unsubscribe_url(customer.email))

    assert not api.may_contact(user=customer)
    (record,) = records(action="unsubscribed")
    assert record.subject_key == subjects.for_user(customer)


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "x" * 3000,
        tokens.unsubscribe_token("0" * 64, "email")[:-3] + "abc",  # altered signature
        tokens.offer_token("checkout", {}),  # genuine, but made for something else
        signing.dumps({"k": "not-a-key", "m": "email"}, salt=tokens.UNSUBSCRIBE_SALT),
        signing.dumps({"k": "0" * 64, "m": "../../etc"}, salt=tokens.UNSUBSCRIBE_SALT),
        signing.dumps(["a", "list"], salt=tokens.UNSUBSCRIBE_SALT),
    ],
)
def test_a_forged_or_malformed_link_shows_a_clear_page_and_changes_nothing(
    client, subscribed, records, token
):
    before = list(MarketingConsent.objects.values_list("granted", flat=True))

    for method in (client.get, client.post):
        response = method(f"/privacy/marketing/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "This link is not valid" in response.text
        assert "nothing was changed" in response.text

    assert list(MarketingConsent.objects.values_list("granted", flat=True)) == before
    assert not Suppression.objects.exists()
    assert len(records()) == 2


def test_an_expired_link_shows_a_clear_page_and_changes_nothing(monkeypatch, client, subscribed):
    with override_settings(JSG_PRIVACY_UNSUBSCRIBE_MAX_AGE=30):
        url = made_days_ago(monkeypatch, 31, lambda: api.unsubscribe_url(EMAIL))
        fresh = made_days_ago(monkeypatch, 29, lambda: api.unsubscribe_url(EMAIL, "sms"))

        response = client.post(url)

        assert response.status_code == 410
        assert "This link has expired" in response.text
        assert "privacy@jsgsolutions.example" in response.text  # another way to opt out
        assert api.may_contact(email=EMAIL)
        assert not Suppression.objects.exists()

        assert client.post(fresh).status_code == 200
        assert not api.may_contact(email=EMAIL, medium="sms")


def test_no_e_mail_address_reaches_the_logs(caplog, client, subscribed):
    caplog.set_level("DEBUG")

    client.post(api.unsubscribe_url(EMAIL))
    client.post("/privacy/marketing/unsubscribe/garbage/")

    assert "amelia" not in caplog.text.lower()
