"""A choice the shop cannot prove counts as undecided: forged, tampered, stale or expired cookies."""

import random
import string
import time
import urllib.request
from unittest import mock

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse

from jsg_privacy import registry as privacy
from jsg_privacy.consent import state
from jsg_privacy.registry import registry

pytestmark = pytest.mark.django_db


def status(client, cookie_value):
    client.cookies["jsg_consent"] = cookie_value
    return client.get(reverse("jsg_privacy:cookies-status")).json()


def test_random_and_forged_cookies_count_as_undecided(client):
    rng = random.Random(42)
    alphabet = string.ascii_letters + string.digits + "=|:~-_.!*"
    forged = [
        "analytics=9",
        "analytics=~",
        "analytics=1|marketing=1",
        signing.dumps({"i": "x", "c": {"analytics": [1, "x"]}}, salt="another.salt"),
        signing.dumps(
            {"i": "x", "c": {"analytics": [1, "x"]}}, salt="jsg_privacy.consent", key="k"
        ),
    ] + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(300)]
    for value in forged:
        body = status(client, value)
        assert body["decided"] is False, value
        assert all(g["accepted"] is None for g in body["groups"]), value


def test_a_tampered_signed_cookie_counts_as_undecided(client, accept_all):
    accept_all()
    value = client.cookies["jsg_consent"].value
    payload, rest = value.split(":", 1)
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + ":" + rest
    assert status(client, tampered)["decided"] is False


def test_consent_expires_after_the_max_age(client, accept_all, settings):
    accept_all()
    value = client.cookies["jsg_consent"].value
    assert status(client, value)["decided"] is True
    later = time.time() + 183 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert status(client, value)["decided"] is False
    settings.JSG_PRIVACY_CONSENT_MAX_AGE = 400
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert status(client, value)["decided"] is True


def test_a_new_cookie_in_a_group_asks_again_for_that_group(client, accept_all):
    accept_all()
    value = client.cookies["jsg_consent"].value
    with registry.temporarily():
        registry.add(privacy.Cookie("_sa_new", "JSG", "analytics", None, "A new cookie."))
        groups = {g["key"]: g["accepted"] for g in status(client, value)["groups"]}
    assert groups == {"analytics": None, "marketing": True}


def test_a_real_wsgi_server_survives_non_latin1_cookies(live_server):
    """Django's test client never encodes headers; a real server does (PEERS: gunicorn 500s)."""
    for raw in [
        "jsg_consent=caf\xe9\u20ac|analytics=1",
        "jsg_consent_ui=\u00ff\u0100; analytics=\u2603",
    ]:
        request = urllib.request.Request(
            live_server.url + reverse("jsg_privacy:cookies-status"),
            headers={"Cookie": raw.encode("utf-8").decode("latin-1")},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
            assert response.status == 200


@override_settings(JSG_PRIVACY_CONSENT_COOKIE_NAME="shop_consent")
def test_the_cookie_name_is_a_setting(client):
    response = client.post(reverse("jsg_privacy:cookies-decline"), {"all": "1"})
    assert "shop_consent" in response.cookies
    assert state.cookie_name() == "shop_consent"
