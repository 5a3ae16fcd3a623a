"""Cookies of groups nobody accepted are deleted; Global Privacy Control is honoured and recorded."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.crypto import subjects

pytestmark = pytest.mark.django_db

GPC = {"headers": {"Sec-GPC": "1"}}


def deleted(response):
    return {name for name, morsel in response.cookies.items() if morsel["max-age"] == 0}


def test_cookies_of_refused_groups_are_deleted_wildcards_included(client):
    client.post(reverse("jsg_privacy:cookies-save"), {"groups": ["marketing"]})
    for name in ("_sa_id", "_sa_s_l2x9", "_sa_s_abc", "_adclick", "unrelated"):
        client.cookies[name] = "1"
    response = client.get("/")
    assert deleted(response) == {"_sa_id", "_sa_s_l2x9", "_sa_s_abc"}


def test_cookies_set_before_any_choice_are_deleted(client):
    client.cookies["_sa_id"] = "1"
    assert deleted(client.get("/")) == {"_sa_id"}


def test_a_request_without_consent_group_cookies_gets_no_consent_cookie(client):
    response = client.get("/")
    assert "jsg_consent" not in response.cookies
    assert ConsentRecord.objects.count() == 0


def test_gpc_refuses_marketing_once_and_records_the_signal(client):
    response = client.get("/", **GPC)
    assert "marketing.0." in response.cookies["jsg_consent_ui"].value
    assert "gpc" in response.cookies["jsg_consent_ui"].value
    # Recorded once the browser shows it kept the choice: the next request brings the cookie back.
    client.get("/", **GPC)
    assert list(ConsentRecord.objects.values_list("purpose", "action", "channel")) == [
        ("marketing", "signal", "gpc")
    ]
    client.get("/", **GPC)
    assert ConsentRecord.objects.count() == 1  # honoured once, not on every request
    css = client.get(reverse("jsg_privacy:cookies-state-css"), **GPC).content
    assert b".jsg-cb__gpc{display:block}" in css


def test_a_client_that_never_returns_cookies_adds_no_ledger_rows():
    """Before: 25 requests with ``Sec-GPC: 1`` and no cookies added 25 permanent rows."""
    for _ in range(25):
        response = Client().get("/", **GPC)
        assert "gpc" in response.cookies["jsg_consent_ui"].value  # still honoured, every time
        assert "marketing.0." in response.cookies["jsg_consent_ui"].value
    assert ConsentRecord.objects.count() == 0


def test_a_replayed_first_cookie_adds_one_row_not_one_per_request():
    first = Client().get("/", **GPC).cookies["jsg_consent"].value
    for _ in range(10):  # a client that sends the first cookie back but never keeps a newer one
        replaying = Client()
        replaying.cookies["jsg_consent"] = first
        replaying.get("/", **GPC)
    assert ConsentRecord.objects.filter(action="signal").count() == 1


def test_a_signed_in_customers_signal_is_recorded_once_under_their_key(client):
    user = get_user_model().objects.create_user("gpc", "gpc@example.com", "pw")
    client.force_login(user)
    client.get("/", **GPC)
    for _ in range(5):  # a client that keeps the session but drops the consent cookie
        del client.cookies["jsg_consent"]
        client.get("/", **GPC)
    assert list(ConsentRecord.objects.values_list("subject_key", "action")) == [
        (subjects.for_user(user), "signal")
    ]


def test_an_explicit_choice_after_gpc_stands(client):
    client.get("/", **GPC)
    client.post(reverse("jsg_privacy:cookies-save"), {"groups": ["analytics", "marketing"]}, **GPC)
    status = client.get(reverse("jsg_privacy:cookies-status"), **GPC).json()
    assert {g["key"]: g["accepted"] for g in status["groups"]}["marketing"] is True
    # The signal honoured on the first request is recorded before the choice that overrides it.
    assert list(
        ConsentRecord.objects.filter(purpose="marketing").values_list("action", flat=True)
    ) == ["signal", "given"]


def test_accept_all_after_gpc_leaves_marketing_off_as_its_label_says(client):
    client.get("/", **GPC)
    response = client.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"}, **GPC)
    assert response.status_code == 302
    status = client.get(reverse("jsg_privacy:cookies-status"), **GPC).json()
    assert {g["key"]: g["accepted"] for g in status["groups"]} == {
        "analytics": True,
        "marketing": False,
    }
    assert list(ConsentRecord.objects.values_list("purpose", "action")) == [
        ("marketing", "signal"),
        ("analytics", "given"),
    ]
    # The same holds once the signal is only in the cookie (a request without the header).
    client.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"})
    assert client.get(reverse("jsg_privacy:cookies-status")).json()["gpc"] is True
    assert not ConsentRecord.objects.filter(purpose="marketing", action="given").exists()
    # The cookie settings page, drawn for this visitor, names the button for what it does.
    page = client.get(reverse("jsg_privacy:cookies")).content.decode()
    assert 'type="submit">Accept all except marketing</button>' in page
    assert 'type="submit">Accept all</button>' not in page
    css = client.get(reverse("jsg_privacy:cookies-state-css")).content.decode()
    assert ".jsg-cb__no-gpc{display:none}.jsg-cb__if-gpc{display:inline}" in css


def test_accept_all_without_gpc_accepts_every_group(client):
    client.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"})
    status = client.get(reverse("jsg_privacy:cookies-status")).json()
    assert all(g["accepted"] for g in status["groups"])
    assert status["gpc"] is False
    page = client.get(reverse("jsg_privacy:cookies")).content.decode()
    assert 'type="submit">Accept all</button>' in page


def test_logging_in_links_the_visitors_choices_to_the_account(client):
    get_user_model().objects.create_user("ann@example.com", "ann@example.com", "pw-1234-meter")
    client.post(reverse("jsg_privacy:cookies-decline"), {"all": "1"})
    visitor_key = ConsentRecord.objects.first().subject_key
    response = client.post(
        reverse("accounts:login"), {"username": "ann@example.com", "password": "pw-1234-meter"}
    )
    assert response.status_code == 302
    link = ConsentRecord.objects.get(action="linked")
    user = get_user_model().objects.get()
    assert link.subject_key == subjects.for_user(user)
    assert link.linked_key == visitor_key


def test_choices_of_a_logged_in_customer_are_recorded_under_their_key(client):
    user = get_user_model().objects.create_user("bob", "bob@example.com", "pw")
    client.force_login(user)
    client.post(reverse("jsg_privacy:cookies-decline"), {"all": "1"})
    assert set(ConsentRecord.objects.values_list("subject_key", flat=True)) == {
        subjects.for_user(user)
    }


def test_a_choice_sent_with_the_first_gpc_signal_stands(client):
    client.post(reverse("jsg_privacy:cookies-save"), {"groups": ["analytics", "marketing"]}, **GPC)
    client.get("/", **GPC)
    status = client.get(reverse("jsg_privacy:cookies-status"), **GPC).json()
    assert {g["key"]: g["accepted"] for g in status["groups"]}["marketing"] is True
    assert not ConsentRecord.objects.filter(action="signal").exists()


def test_accept_all_sent_with_the_first_gpc_signal_lets_the_signal_refuse_marketing(client):
    client.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"}, **GPC)
    client.get("/", **GPC)
    status = client.get(reverse("jsg_privacy:cookies-status"), **GPC).json()
    assert status["decided"] is True  # the banner does not come back
    assert {g["key"]: g["accepted"] for g in status["groups"]} == {
        "analytics": True,
        "marketing": False,
    }
    assert list(ConsentRecord.objects.values_list("purpose", "action", "channel")) == [
        ("marketing", "signal", "gpc"),
        ("analytics", "given", "banner"),
    ]
