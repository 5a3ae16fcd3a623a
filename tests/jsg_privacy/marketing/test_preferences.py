"""The marketing preferences page in a customer's account."""

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from example_shop.factories import UserFactory
from jsg_privacy.crypto import subjects
from jsg_privacy.marketing import api
from jsg_privacy.requests import identity

pytestmark = pytest.mark.django_db

URL = reverse("jsg_privacy:marketing:preferences")


def save(client, token, **ticked):
    data = {"marketing_token": token, **{f"marketing_{name}": "on" for name in ticked}}
    return client.post(URL, data, follow=True)


def test_the_page_needs_a_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_page_shows_the_current_choice_for_every_box(customer, customer_client):
    api.record_choices({"post": True, "testimonials": True}, user=customer, channel="signup")

    response = customer_client.get(URL + "?marketing_email=on")

    form = response.context["form"]
    assert {b.name: form[f"marketing_{b.name}"].value() for b in form.marketing_boxes} == {
        "email": False,  # never from the URL
        "sms": False,
        "phone": False,
        "post": True,
        "partners": False,
        "testimonials": True,
    }
    assert "Yes, since" in response.text
    assert "You may publish my feedback as a testimonial" in response.text


def test_each_change_is_recorded_with_the_preferences_channel(
    customer, customer_client, token_in, records
):
    api.record_choices({"post": True}, user=customer, channel="signup")
    token = token_in(customer_client.get(URL).text)

    response = save(customer_client, token, email=True, partners=True)

    assert "Your choices have been saved." in response.text
    changes = [(r.purpose, r.medium, r.action, r.channel) for r in records()[1:]]
    assert sorted(changes) == [
        ("marketing", "email", "given", "preferences"),
        ("marketing", "post", "withdrawn", "preferences"),
        ("partner_marketing", "", "given", "preferences"),
    ]
    assert all(r.subject_key == subjects.for_user(customer) for r in records())
    assert api.may_contact(user=customer)
    assert not api.may_contact(user=customer, medium="post")
    assert api.has_consent("partner_marketing", user=customer)


def test_saving_without_changes_records_nothing(customer, customer_client, token_in, records):
    api.record_choices({"email": True}, user=customer)
    token = token_in(customer_client.get(URL).text)

    response = save(customer_client, token, email=True)

    assert "Nothing changed." in response.text
    assert len(records()) == 1


def test_the_page_is_csrf_protected(customer, token_in, records):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(customer)
    token = token_in(strict.get(URL).text)

    response = strict.post(URL, {"marketing_token": token, "marketing_email": "on"})

    assert response.status_code == 403
    assert records() == []


@pytest.mark.parametrize("token", ["", "forged"])
def test_a_post_without_a_genuine_token_changes_nothing(customer, customer_client, records, token):
    api.record_choices({"email": True}, user=customer)

    response = customer_client.post(URL, {"marketing_token": token})

    assert response.status_code == 200
    assert "could not verify the marketing choices" in response.text
    assert api.may_contact(user=customer)  # not withdrawn by a form that lost its token
    assert len(records()) == 1


@override_settings(JSG_PRIVACY_MARKETING_DOUBLE_OPT_IN=True)
def test_ticking_e_mail_with_double_opt_in_sends_a_link(
    customer, customer_client, token_in, django_capture_on_commit_callbacks
):
    token = token_in(customer_client.get(URL).text)

    with django_capture_on_commit_callbacks(execute=True):
        response = save(customer_client, token, email=True)

    assert "We have e-mailed you a link" in response.text
    (message,) = mail.outbox
    assert message.to == [customer.email]
    assert "http://testserver/privacy/marketing/confirm/" in message.body
    assert not api.may_contact(user=customer)
    assert "Waiting for you to confirm" in customer_client.get(URL).text

    # Saving again with the box still ticked does not send another e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        save(customer_client, token_in(customer_client.get(URL).text), email=True)
    assert len(mail.outbox) == 1


def test_an_unsubscribed_medium_says_so(customer, customer_client):
    identity.record_proof(customer, customer.email, identity.BY_LINK)
    api.record_choices({"email": True}, user=customer)
    api.suppress(customer.email)

    response = customer_client.get(URL)

    assert "No: you unsubscribed." in response.text


def test_a_guest_s_choices_for_the_address_are_not_shown_to_an_unproven_account(client):
    api.record_choices({"email": True, "post": True}, email="guest@example.org", channel="checkout")
    api.suppress("guest@example.org", "sms")
    stranger = UserFactory(email="guest@example.org")
    client.force_login(stranger)

    response = client.get(URL)

    form = response.context["form"]
    assert not any(form[f"marketing_{b.name}"].value() for b in form.marketing_boxes)
    assert "Yes, since" not in response.text
    assert "you unsubscribed" not in response.text
    identity.record_proof(stranger, stranger.email, identity.BY_LINK)  # the owner, once proven
    shown = client.get(URL)
    assert "Yes, since" in shown.text
    assert "No: you unsubscribed." in shown.text


def test_text_messages_cannot_be_switched_on_without_a_phone_number(
    customer, customer_client, token_in, records
):
    token = token_in(customer_client.get(URL).text)

    response = save(customer_client, token, sms=True, email=True)

    assert "We have no way to send you text messages about offers yet" in response.text
    assert response.context["form"]["marketing_email"].value()  # what was ticked is kept
    assert records() == []  # nothing recorded, e-mail included: the form is shown again


def test_text_messages_are_switched_on_once_the_account_has_a_phone_number(
    customer, customer_client, token_in, records
):
    from example_shop.accounts.models import CustomerProfile

    CustomerProfile.objects.create(user=customer, phone="07700 900123")
    token = token_in(customer_client.get(URL).text)

    response = save(customer_client, token, sms=True)

    assert "Your choices have been saved." in response.text
    assert [(r.medium, r.action) for r in records()] == [("sms", "given")]


def test_a_text_message_choice_made_before_stays_on_without_a_number(
    customer, customer_client, token_in, records
):
    api.record_choices({"sms": True}, user=customer, channel="checkout")
    token = token_in(customer_client.get(URL).text)

    response = save(customer_client, token, sms=True)

    assert "Nothing changed." in response.text  # no error: the box was on already
