"""Cookies of groups nobody accepted are deleted; Global Privacy Control is honoured and recorded."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from jsg_privacy.consent import subjects
from jsg_privacy.consent.models import ConsentRecord

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
    assert list(ConsentRecord.objects.values_list("purpose", "action", "channel")) == [
        ("marketing", "signal", "gpc")
    ]
    assert "marketing.0." in response.cookies["jsg_consent_ui"].value
    assert "gpc" in response.cookies["jsg_consent_ui"].value
    client.get("/", **GPC)
    assert ConsentRecord.objects.count() == 1  # honoured once, not on every request
    css = client.get(reverse("jsg_privacy:cookies-state-css"), **GPC).content
    assert b".jsg-cb__gpc{display:block}" in css


def test_an_explicit_choice_after_gpc_stands(client):
    client.get("/", **GPC)
    client.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"}, **GPC)
    status = client.get(reverse("jsg_privacy:cookies-status"), **GPC).json()
    assert {g["key"]: g["accepted"] for g in status["groups"]}["marketing"] is True
    assert ConsentRecord.objects.filter(action="signal").count() == 1


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
    client.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"}, **GPC)
    client.get("/", **GPC)
    status = client.get(reverse("jsg_privacy:cookies-status"), **GPC).json()
    assert {g["key"]: g["accepted"] for g in status["groups"]}["marketing"] is True
    assert not ConsentRecord.objects.filter(action="signal").exists()
