"""Marketing at sign-up, and the way from the account to the marketing preferences."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.marketing import api

pytestmark = pytest.mark.django_db

SIGN_UP = reverse("accounts:sign_up")
DATA = {
    "first_name": "Priya",
    "last_name": "Shah",
    "email": "Priya.Shah@example.co.uk",
    "password1": "a long passphrase 42",
    "password2": "a long passphrase 42",
}


def token_of(client) -> str:
    html = client.get(SIGN_UP).content.decode()
    return re.search(r'name="marketing_token" value="([^"]+)"', html).group(1)


def test_sign_up_offers_unticked_boxes(client):
    html = client.get(SIGN_UP + "?marketing_sms=on").content.decode()

    for box in ("email", "sms", "phone", "post", "partners"):
        checkbox = re.search(rf'<input[^>]*name="marketing_{box}"[^>]*>', html).group(0)
        assert "checked" not in checkbox


def test_sign_up_records_the_ticked_boxes_for_the_new_account(client):
    # Text messages need the phone number (tests/example_shop/test_one_checkout.py).
    data = {
        **DATA,
        "phone": "07700 900123",
        "marketing_sms": "on",
        "marketing_token": token_of(client),
    }

    client.post(SIGN_UP, data)

    user = User.objects.get()
    (record,) = ConsentRecord.objects.filter(medium="sms")
    assert (record.subject_key, record.channel, record.action) == (
        subjects.for_user(user),
        "signup",
        "given",
    )
    assert api.may_contact(user=user, medium="sms")
    assert not api.may_contact(user=user)


def test_a_tampered_sign_up_creates_no_account_and_records_nothing(client):
    data = {**DATA, "marketing_email": "on", "marketing_token": "forged"}

    response = client.post(SIGN_UP, data)

    assert response.status_code == 200
    assert "could not verify the marketing choices" in response.content.decode()
    assert not User.objects.exists()
    assert not ConsentRecord.objects.exclude(purpose="marketing", medium="").exists()


def test_the_account_links_to_the_marketing_preferences(customer_client):
    html = customer_client.get(reverse("accounts:profile")).content.decode()

    assert f'href="{reverse("jsg_privacy:marketing:preferences")}"' in html
    page = customer_client.get(reverse("jsg_privacy:marketing:preferences"))
    assert page.status_code == 200
    assert "Marketing preferences" in page.content.decode()
