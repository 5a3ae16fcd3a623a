"""A refused or withdrawn cookie group is not asked about again for the cooldown, even when the
group changes; an accepted one is asked again at once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.checks import run_checks
from django.urls import reverse

from jsg_privacy import registry as privacy
from jsg_privacy.registry import registry

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/London"))


def status(client):
    response = client.get(reverse("jsg_privacy:cookies-status"))
    return response.json()


def choices_after(client, days):
    """The visitor's groups ``days`` after the choice, once the analytics group gained a cookie."""
    with (
        time_machine.travel(START + timedelta(days=days), tick=False),
        registry.temporarily(),
    ):
        registry.add(privacy.Cookie("_sa_new", "JSG", "analytics", None, "A new cookie."))
        found = status(client)
    return {g["key"]: g["accepted"] for g in found["groups"]}, found["decided"]


def test_a_refusal_stands_through_a_change_of_the_group_for_the_cooldown(client, settings):
    settings.JSG_PRIVACY_CONSENT_REFUSAL_COOLDOWN = 90
    with time_machine.travel(START, tick=False):
        client.post(reverse("jsg_privacy:cookies-save"), {"groups": ["marketing"]})
    assert choices_after(client, 30) == ({"analytics": False, "marketing": True}, True)
    assert choices_after(client, 89) == ({"analytics": False, "marketing": True}, True)
    assert choices_after(client, 91) == ({"analytics": None, "marketing": True}, False)


def test_a_withdrawal_stands_too_and_an_acceptance_is_asked_again(client, accept_all):
    with time_machine.travel(START, tick=False):
        accept_all()
        client.post(
            reverse("jsg_privacy:cookies-decline"),
            {"groups": "marketing", "channel": "preferences"},
        )
    groups, decided = choices_after(client, 10)
    assert groups == {"analytics": None, "marketing": False}  # analytics was accepted: asked again
    assert decided is False


def test_the_settings_page_still_changes_a_refusal(client):
    with time_machine.travel(START, tick=False):
        client.post(reverse("jsg_privacy:cookies-decline"), {"all": "1"})
        client.post(
            reverse("jsg_privacy:cookies-accept"), {"groups": "analytics", "channel": "preferences"}
        )
        accepted = {g["key"]: g["accepted"] for g in status(client)["groups"]}
    assert accepted == {"analytics": True, "marketing": False}


def test_w070_when_the_cooldown_outlasts_the_choice_cookie(settings):
    settings.JSG_PRIVACY_CONSENT_REFUSAL_COOLDOWN = 400
    assert "jsg_privacy.W070" in {m.id for m in run_checks()}
    settings.JSG_PRIVACY_CONSENT_REFUSAL_COOLDOWN = 182
    assert "jsg_privacy.W070" not in {m.id for m in run_checks()}
