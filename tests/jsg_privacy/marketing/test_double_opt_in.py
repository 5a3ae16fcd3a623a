"""Double opt-in: e-mail consent counts only once the e-mailed link is confirmed."""

import re
import time

import pytest
from django.core import mail, signing
from django.test import Client, override_settings

from jsg_privacy.marketing import api, tokens
from jsg_privacy.marketing.models import MarketingConsent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("double_opt_in")]

EMAIL = "amelia.hughes@example.co.uk"
LINK = re.compile(r"https://shop\.example(/privacy/marketing/confirm/[^/\s]+/)")


@pytest.fixture
def double_opt_in():
    with override_settings(JSG_PRIVACY_MARKETING_DOUBLE_OPT_IN=True):
        yield


@pytest.fixture
def ticked(django_capture_on_commit_callbacks):
    """Tick e-mail and post at checkout; return the confirmation link's path."""
    with django_capture_on_commit_callbacks(execute=True):
        outcome = api.record_choices(
            {"email": True, "post": True},
            email=EMAIL,
            channel="checkout",
            base_url="https://shop.example/",
        )
    assert outcome.pending == ["email"]
    assert outcome.given == ["post"]  # only e-mail needs confirming
    (message,) = mail.outbox
    return LINK.search(message.body).group(1)


def test_a_ticked_e_mail_box_is_pending_until_confirmed(ticked, records):
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert "Please confirm" in message.subject
    assert not api.may_contact(email=EMAIL)
    assert api.may_contact(email=EMAIL, medium="post")
    assert [r.medium for r in records()] == ["post"]  # nothing recorded for e-mail yet
    assert MarketingConsent.objects.get(medium="email").pending


def test_opening_the_link_asks_and_the_button_confirms(client, ticked, records):
    page = client.get(ticked)

    assert page.status_code == 200
    assert "Yes, send me news and offers" in page.text
    assert not api.may_contact(email=EMAIL)  # a mail scanner following the link confirms nothing

    done = client.post(ticked)

    assert "you are subscribed" in done.text
    assert api.may_contact(email=EMAIL)
    record = records(medium="email")[-1]
    assert (record.action, record.channel) == ("given", "double_opt_in")
    assert record.version == MarketingConsent.objects.get(medium="email").version

    again = client.post(ticked)

    assert "Nothing to confirm" in again.text
    assert len(records(medium="email")) == 1


def test_the_confirmation_is_csrf_protected(ticked):
    response = Client(enforce_csrf_checks=True).post(ticked)

    assert response.status_code == 403
    assert not api.may_contact(email=EMAIL)


def test_unsubscribing_before_confirming_kills_the_link(client, ticked, records):
    client.post(api.unsubscribe_url(EMAIL))

    response = client.post(ticked)

    assert "Nothing to confirm" in response.text
    assert not api.may_contact(email=EMAIL)


def test_a_forged_or_expired_confirmation_link_changes_nothing(monkeypatch, client, ticked):
    forged = client.post(ticked.replace("/confirm/", "/confirm/x"))
    assert forged.status_code == 400

    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 15 * 86400)
    old = tokens.confirm_token(MarketingConsent.objects.get(medium="email").subject_key, "v")
    monkeypatch.setattr(signing.time, "time", real)
    expired = client.post(f"/privacy/marketing/confirm/{old}/")

    assert expired.status_code == 410
    assert "This link has expired" in expired.text
    assert not api.may_contact(email=EMAIL)


def test_an_already_granted_e_mail_needs_no_new_confirmation(ticked, client, records):
    client.post(ticked)
    mail.outbox.clear()

    outcome = api.record_choices({"email": True}, email=EMAIL, base_url="https://shop.example")

    assert outcome.pending == []
    assert mail.outbox == []
    assert api.may_contact(email=EMAIL)


def test_double_opt_in_needs_the_address_and_a_base_url():
    with pytest.raises(ValueError, match="base_url"):
        api.record_choices({"email": True}, email=EMAIL)


def test_a_mail_failure_leaves_the_choice_pending_and_logs_no_address(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    import smtplib

    from jsg_privacy.marketing import double_opt_in

    def refused(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({EMAIL: (550, b"mailbox unavailable")})

    monkeypatch.setattr(double_opt_in, "send_mail", refused)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = api.record_choices({"email": True}, email=EMAIL, base_url="https://shop.example")

    assert outcome.pending == ["email"]
    assert (
        "Could not send a double opt-in confirmation e-mail (SMTPRecipientsRefused)" in caplog.text
    )
    assert "amelia" not in caplog.text.lower()
    assert MarketingConsent.objects.get().pending
