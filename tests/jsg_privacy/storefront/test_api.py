"""The storefront API for headless shops: allowed origins only, signed visitor tokens, the ledger."""

import json

import pytest

from jsg_privacy.consent.models import Action, Channel, ConsentRecord
from jsg_privacy.crypto import subjects
from jsg_privacy.storefront import tokens

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.storefront.urls")]

STORE = "https://store.example.com"
BASE = "/privacy/storefront/"


@pytest.fixture(autouse=True)
def origins(settings):
    settings.JSG_PRIVACY_STOREFRONT_ORIGINS = [STORE]


def call(client, method, name, body=None, origin=STORE, token=None, auth=None):
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Visitor {token}"
    if auth:
        headers["HTTP_AUTHORIZATION"] = auth
    if method == "GET":
        return client.get(BASE + name, **headers)
    if method == "OPTIONS":
        return client.options(BASE + name, **headers)
    data = body if isinstance(body, str | bytes) else json.dumps({} if body is None else body)
    return client.post(BASE + name, data=data, content_type="application/json", **headers)


@pytest.fixture
def token(client):
    response = call(client, "POST", "visitor/")
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == STORE
    return response.json()["token"]


@pytest.fixture
def group(client, token):
    """A consent-based cookie group of the shop, as GET choices/ names it."""
    state = call(client, "GET", "choices/", token=token).json()
    assert state["groups"]
    assert state["undecided"] == [g["key"] for g in state["groups"]]  # a new visitor is asked
    return state["groups"][0]


def records(token):
    key = subjects.for_consent_id(tokens.visitor_id(token))
    return list(
        ConsentRecord.objects.filter(subject_key=key).values_list(
            "purpose", "action", "channel", "version"
        )
    )


def test_the_preflight_answers_an_allowed_origin_only(client):
    allowed = call(client, "OPTIONS", "cookies/")
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == STORE
    assert "Authorization" in allowed["Access-Control-Allow-Headers"]

    refused = call(client, "OPTIONS", "cookies/", origin="https://evil.example")
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused


def test_a_visitor_accepts_a_group_and_it_lands_in_the_ledger_with_channel_storefront(
    client, token, group
):
    response = call(client, "POST", "cookies/", {"choices": {group["key"]: True}}, token=token)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == STORE
    assert response.json()["cookies"][group["key"]] is True
    assert records(token) == [(group["key"], Action.GIVEN, Channel.STOREFRONT, group["version"])]
    state = call(client, "GET", "choices/", token=token).json()
    assert state["cookies"][group["key"]] is True
    assert group["key"] not in state["undecided"]
    assert state["marketing"] is None  # a visitor has no marketing choices here


def test_declining_after_accepting_is_a_withdrawal_and_a_first_decline_a_refusal(
    client, token, group
):
    call(client, "POST", "cookies/", {"choices": {group["key"]: False}}, token=token)
    call(client, "POST", "cookies/", {"choices": {group["key"]: True}}, token=token)
    call(client, "POST", "cookies/", {"choices": {group["key"]: False}}, token=token)

    assert [action for _, action, _, _ in records(token)] == [
        Action.REFUSED,
        Action.GIVEN,
        Action.WITHDRAWN,
    ]


@pytest.mark.parametrize("origin", ["https://evil.example", "https://store.example.com.evil", ""])
def test_a_disallowed_origin_is_refused_and_nothing_is_recorded(client, token, group, origin):
    before = ConsentRecord.objects.count()

    response = call(
        client, "POST", "cookies/", {"choices": {group["key"]: True}}, origin=origin, token=token
    )

    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert ConsentRecord.objects.count() == before


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # altered signature
        lambda t: "eyJ2aXNpdG9yIjoiYWRtaW4ifQ:1vXyZa:forged",  # made up
        lambda t: "",  # none
    ],
)
def test_a_forged_visitor_token_is_refused_and_nothing_is_recorded(client, token, group, forge):
    response = call(
        client, "POST", "cookies/", {"choices": {group["key"]: True}}, token=forge(token) or None
    )

    assert response.status_code == 403
    assert response["Access-Control-Allow-Origin"] == STORE  # the storefront can read why
    assert not ConsentRecord.objects.exists()


def test_an_expired_visitor_token_is_refused(client, token, group, settings):
    settings.JSG_PRIVACY_STOREFRONT_VISITOR_TOKEN_DAYS = -1

    response = call(client, "POST", "cookies/", {"choices": {group["key"]: True}}, token=token)

    assert response.status_code == 403
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        [],
        {"choices": {"analytics": "yes"}},
        {"choices": {"no_such_group": True}},
        {"choices": {}},
    ],
)
def test_a_bad_body_gets_a_400_and_records_nothing(client, token, body):
    response = call(client, "POST", "cookies/", body, token=token)

    assert response.status_code == 400
    assert "choices" in response.json()["error"]
    assert not ConsentRecord.objects.exists()


def test_a_visitor_cannot_record_marketing_choices(client, token):
    response = call(client, "POST", "marketing/", {"choices": {"email": True}}, token=token)

    assert response.status_code == 403
    assert not ConsentRecord.objects.exists()


def test_with_no_allowed_origin_everything_is_refused(client, settings):
    settings.JSG_PRIVACY_STOREFRONT_ORIGINS = []

    assert call(client, "POST", "visitor/").status_code == 403


def test_every_storefront_setting_is_documented_with_its_default():
    from pathlib import Path

    from jsg_privacy.storefront.conf import StorefrontSettings

    text = (Path(__file__).parents[3] / "docs" / "storefront.md").read_text(encoding="utf-8")
    for setting in StorefrontSettings.declared().values():
        shown = repr(setting.default).replace("'", '"')
        assert f"| `{setting.setting_name}` | `{shown}` |" in text, setting.setting_name


def test_a_storefront_setting_of_the_wrong_type_is_reported_and_none_is_unknown(settings):
    from django.core.checks import run_checks

    settings.JSG_PRIVACY_STOREFRONT_ORIGINS = "https://store.example.com"  # not a list

    messages = [(m.id, m.msg) for m in run_checks(tags=["jsg_privacy"], databases=[])]
    assert (
        "jsg_privacy.E001",
        "JSG_PRIVACY_STOREFRONT_ORIGINS has a value of type str.",
    ) in messages
    assert not [m for m in messages if m[0] == "jsg_privacy.W001" and "STOREFRONT" in m[1]]


def test_the_storefront_script_stays_within_the_banner_s_size():
    """The shop's own banner script is 1.2 KB gzipped; this one may not grow much past it."""
    import gzip
    from pathlib import Path

    script = Path(__file__).parents[3] / "jsg_privacy" / "static" / "jsg_privacy" / "storefront.js"
    assert len(gzip.compress(script.read_bytes())) <= 1536


@pytest.mark.parametrize(
    "setting", ["JSG_PRIVACY_STOREFRONT_CUSTOMER_AUTH", "JSG_PRIVACY_STOREFRONT_CUSTOMER_CONTACT"]
)
def test_a_function_that_cannot_be_imported_is_an_error_at_start_up(settings, setting):
    from jsg_privacy.storefront.checks import check_functions

    setattr(settings, setting, "shop.contact.missing")
    assert [(e.id, setting in e.msg) for e in check_functions()] == [("jsg_privacy.E027", True)]
    setattr(settings, setting, "jsg_privacy.storefront.conf.STOREFRONT_NOT_THERE")
    assert [e.id for e in check_functions()] == ["jsg_privacy.E027"]
    setattr(settings, setting, "jsg_privacy.storefront.conf.storefront_settings")
    assert "is not a function" in check_functions()[0].msg
    setattr(settings, setting, "jsg_privacy.integrations.saleor.storefront.customer_contact")
    assert check_functions() == []
