"""Accept, reject, choose and withdraw, as the banner's plain forms and its script send them."""

import pytest
from django.test import Client
from django.urls import reverse

from jsg_privacy.consent import state
from jsg_privacy.consent.models import ConsentRecord

pytestmark = pytest.mark.django_db


def records():
    return list(ConsentRecord.objects.values_list("purpose", "action", "channel"))


def test_accept_all_stores_a_signed_choice_and_proof_then_redirects_back(client, accept_all):
    response = client.post(
        reverse("jsg_privacy:cookies-accept"), {"all": "1", "next": "/products/em110/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/products/em110/"
    assert sorted(records()) == [
        ("analytics", "given", "banner"),
        ("marketing", "given", "banner"),
    ]
    assert response.cookies["jsg_consent"]["httponly"]
    mirror = response.cookies["jsg_consent_ui"].value
    assert mirror.startswith("analytics.1.")
    assert "marketing.1." in mirror


def test_reject_all_refuses_every_group(client):
    client.post(reverse("jsg_privacy:cookies-decline"), {"all": "1"})
    assert sorted(records()) == [
        ("analytics", "refused", "banner"),
        ("marketing", "refused", "banner"),
    ]


def test_withdrawing_is_one_action_and_is_recorded_as_withdrawal(client, accept_all):
    accept_all()
    client.post(reverse("jsg_privacy:cookies-decline"), {"all": "1", "channel": "preferences"})
    assert records()[-2:] == [
        ("analytics", "withdrawn", "preferences"),
        ("marketing", "withdrawn", "preferences"),
    ]


def test_choose_accepts_the_switched_on_groups_and_refuses_the_rest(client):
    client.post(reverse("jsg_privacy:cookies-save"), {"groups": ["analytics"]})
    assert sorted(records()) == [
        ("analytics", "given", "banner"),
        ("marketing", "refused", "banner"),
    ]


def test_the_script_gets_json_and_no_redirect(client):
    response = client.post(
        reverse("jsg_privacy:cookies-save"),
        {"groups": ["marketing"]},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["decided"] is True
    assert {g["key"]: g["accepted"] for g in body["groups"]} == {
        "analytics": False,
        "marketing": True,
    }


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("jsg_privacy:cookies-accept", {"groups": ["tracking"]}, "tracking is not a cookie group"),
        ("jsg_privacy:cookies-accept", {"all": "no"}, "Select a valid choice"),
        ("jsg_privacy:cookies-accept", {"all": "0"}, "Select a valid choice"),
        ("jsg_privacy:cookies-decline", {}, "Name at least one cookie group"),
        ("jsg_privacy:cookies-accept", {"channel": "staff", "all": "1"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_records_nothing(client, url, data, message):
    response = client.post(reverse(url), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert records() == []
    assert "jsg_consent" not in response.cookies


def test_bad_input_from_the_script_is_a_json_400(client):
    response = client.post(
        reverse("jsg_privacy:cookies-accept"),
        {"groups": ["x"]},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 400
    assert "x is not a cookie group" in response.json()["error"]


def test_choices_need_a_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"})
    assert response.status_code == 403
    assert records() == []


def test_choices_refuse_get(client):
    assert client.get(reverse("jsg_privacy:cookies-accept")).status_code == 405


def test_an_offsite_next_is_ignored(client):
    response = client.post(
        reverse("jsg_privacy:cookies-decline"), {"all": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_settings_page_shows_current_choices(client, accept_all):
    client.post(reverse("jsg_privacy:cookies-save"), {"groups": ["analytics"]})
    page = client.get(reverse("jsg_privacy:cookies")).content.decode()
    assert 'value="analytics" checked' in page
    assert 'value="marketing">' in page
    assert "<code>sessionid</code>" in page


def test_state_css_hides_the_banner_only_once_decided(client):
    css = reverse("jsg_privacy:cookies-state-css")
    assert client.get(css).content == b""
    client.post(reverse("jsg_privacy:cookies-decline"), {"all": "1"})
    response = client.get(css)
    assert b"#jsg-cb{display:none}" in response.content
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"]


def test_status_reports_choices_and_a_csrf_token(client, accept_all):
    accept_all()
    body = client.get(reverse("jsg_privacy:cookies-status")).json()
    assert body["decided"] is True
    assert body["csrftoken"]
    assert all(g["accepted"] is True for g in body["groups"])


def test_the_state_is_read_from_the_signed_cookie(client, accept_all):
    accept_all()
    request = type("R", (), {"COOKIES": {"jsg_consent": client.cookies["jsg_consent"].value}})()
    current = state.read(request)
    assert current.accepted("analytics") is True
    assert current.consent_id
