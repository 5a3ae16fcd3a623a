"""A signed-in Saleor customer records marketing choices from the storefront with their JWT,
checked against the store's JWKS; forged, expired and foreign tokens are refused."""

import json
from datetime import timedelta

import jwt
import pytest
from django.utils import timezone

from jsg_privacy.consent.models import Action, Channel, ConsentRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.integrations.saleor.models import Installation
from jsg_privacy.marketing import api
from tests.jsg_privacy.saleor.fake_saleor import new_key, thumbprint

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]

STORE = "https://store.example.com"
EMAIL = "ann@example.com"
URL = "/privacy/storefront/marketing/"


@pytest.fixture(autouse=True)
def storefront(settings, installation, saleor):
    settings.JSG_PRIVACY_STOREFRONT_ORIGINS = [STORE]
    settings.JSG_PRIVACY_STOREFRONT_CUSTOMER_AUTH = (
        "jsg_privacy.integrations.saleor.storefront.customer_email"
    )
    saleor.add_user(EMAIL)


def versions(client, token):
    response = client.get(
        "/privacy/storefront/choices/", HTTP_ORIGIN=STORE, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200, response.content
    return {box["name"]: box["version"] for box in response.json()["boxes"]}


def post(client, token, choices, shown):
    return client.post(
        URL,
        data=json.dumps({"choices": choices, "versions": shown}),
        content_type="application/json",
        HTTP_ORIGIN=STORE,
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def ledger():
    rows = ConsentRecord.objects.filter(subject_key=subjects.for_email(EMAIL))
    return list(rows.values_list("medium", "action", "channel"))


def test_a_customer_gives_and_withdraws_marketing_with_their_saleor_token(client, saleor):
    token = saleor.customer_token(EMAIL)
    shown = versions(client, token)

    given = post(client, token, {"email": True, "sms": False}, shown)

    assert given.status_code == 200, given.content
    assert given["Access-Control-Allow-Origin"] == STORE
    assert given.json()["marketing"]["email"] is True
    assert api.may_contact(email=EMAIL, medium="email")
    assert ledger() == [("email", Action.GIVEN, Channel.STOREFRONT)]

    post(client, token, {"email": False}, shown)

    assert not api.may_contact(email=EMAIL, medium="email")
    assert ("email", Action.WITHDRAWN, Channel.STOREFRONT) in ledger()


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda s: s.customer_token(EMAIL, lifetime=-60), id="expired"),
        pytest.param(
            lambda s: jwt.encode(
                {"iss": s.api_url, "iat": 1, "exp": 4102444800, "email": EMAIL, "type": "access"},
                new_key(),
                "RS256",
                headers={"kid": s.kid},
            ),
            id="signed-by-another-key-with-the-store-s-kid",
        ),
        pytest.param(
            lambda s: jwt.encode(
                {"iss": s.api_url, "iat": 1, "exp": 4102444800, "email": EMAIL, "type": "access"},
                (key := new_key()),
                "RS256",
                headers={"kid": thumbprint(key)},
            ),
            id="unknown-key",
        ),
        pytest.param(
            lambda s: s.customer_token(EMAIL, iss="https://other-store.example/graphql/"),
            id="another-store",
        ),
        pytest.param(lambda s: s.customer_token(EMAIL, type="refresh"), id="refresh-token"),
        pytest.param(
            lambda s: jwt.encode(
                {"iss": s.api_url, "iat": 1, "exp": 4102444800, "email": EMAIL, "type": "access"},
                "a-secret-long-enough-for-hs256-keys!",
                "HS256",
                headers={"kid": s.kid},
            ),
            id="hs256",
        ),
        pytest.param(lambda s: "not-a-jwt", id="garbage"),
    ],
)
def test_a_forged_or_expired_customer_token_is_refused_and_nothing_is_recorded(
    client, saleor, make
):
    shown = versions(client, saleor.customer_token(EMAIL))

    response = post(client, make(saleor), {"email": True}, shown)

    assert response.status_code == 403
    assert ledger() == []
    assert not api.may_contact(email=EMAIL, medium="email")


def test_an_unknown_kid_fetches_the_store_s_keys_again_once(client, saleor):
    saleor.rotate()  # a new key, published in the JWKS; the app still holds the old set
    Installation.objects.update(jwks_fetched_at=timezone.now() - timedelta(minutes=2))
    fetches = saleor.jwks_fetches

    token = saleor.customer_token(EMAIL)
    response = post(client, token, {"email": True}, versions(client, token))

    assert response.status_code == 200
    assert saleor.jwks_fetches == fetches + 1


def test_a_box_shown_with_an_old_wording_is_refused(client, saleor):
    token = saleor.customer_token(EMAIL)

    response = post(client, token, {"email": True}, {"email": "an-old-wording"})

    assert response.status_code == 400
    assert ledger() == []


@pytest.fixture
def contact_checked(settings):
    settings.JSG_PRIVACY_STOREFRONT_CUSTOMER_CONTACT = (
        "jsg_privacy.integrations.saleor.storefront.customer_contact"
    )


def test_text_messages_are_refused_without_a_phone_number_in_saleor_and_nothing_is_recorded(
    client, saleor, contact_checked
):
    for row in saleor.users[EMAIL]["addresses"]:
        row["phone"] = ""  # Ann saved an address without a phone number
    token = saleor.customer_token(EMAIL)

    response = post(client, token, {"email": True, "sms": True}, versions(client, token))

    assert response.status_code == 400
    assert response.json()["unreachable"] == ["sms"]
    assert "contact details" in response.json()["error"]
    assert response["Access-Control-Allow-Origin"] == STORE  # the storefront can read why
    assert ledger() == []  # not even the e-mail box of the same call
    assert saleor.mutations("SaleorCustomerContact") == [{"email": EMAIL}]  # (any operation)


def test_text_messages_are_given_when_saleor_holds_a_phone_number(client, saleor, contact_checked):
    token = saleor.customer_token(EMAIL)

    response = post(client, token, {"email": True, "sms": True}, versions(client, token))

    assert response.status_code == 200, response.content
    assert sorted(ledger()) == [
        ("email", Action.GIVEN, Channel.STOREFRONT),
        ("sms", Action.GIVEN, Channel.STOREFRONT),
    ]
    assert api.may_contact(email=EMAIL, medium="sms")


def test_a_store_that_cannot_be_asked_gets_a_503_and_nothing_is_recorded(
    client, saleor, contact_checked, settings, caplog
):
    token = saleor.customer_token(EMAIL)
    shown = versions(client, token)
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 0.2
    saleor.delay = 1

    response = post(client, token, {"sms": True}, shown)

    assert response.status_code == 503
    assert ledger() == []
    assert "contact details could not be read" in caplog.text
    assert EMAIL not in caplog.text


def test_the_store_is_asked_for_a_phone_a_street_or_nothing(saleor):
    from jsg_privacy.integrations.saleor.storefront import customer_contact

    assert customer_contact(EMAIL, "sms") == "+441632960000"
    assert customer_contact(EMAIL, "post") == "1 High Street, LS1 1AA"
    assert customer_contact(EMAIL, "email") == EMAIL
    assert customer_contact(EMAIL, "carrier-pigeon") == ""  # a medium it cannot answer for
    assert customer_contact("nobody@example.com", "sms") == ""  # not a customer of the store
