"""Checks of the consent ledger's key and checkpoints: E035, E036, W035, W036, W037."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command

from jsg_privacy.consent import ledger
from jsg_privacy.crypto import subjects


def messages(**kwargs):
    return {m.id: m for m in run_checks(**kwargs) if m.id.startswith("jsg_privacy.")}


def test_no_ledger_key_with_debug_off_is_an_error(settings):
    settings.DEBUG = False
    settings.JSG_PRIVACY_LEDGER_KEYS = []
    found = messages()
    assert "could not be signed" in found["jsg_privacy.E035"].msg
    assert "SECRET_KEY" in found["jsg_privacy.E035"].hint  # never that one


def test_a_short_ledger_key_is_an_error(settings):
    settings.JSG_PRIVACY_LEDGER_KEYS = "a-long-enough-key-0123456789abcdefghij,short"
    assert "key 2 is shorter than 32" in messages()["jsg_privacy.E035"].msg


def test_the_public_demo_key_is_a_warning_with_debug_on(settings):
    settings.DEBUG = True
    settings.JSG_PRIVACY_LEDGER_KEYS = ""
    found = messages()
    assert "jsg_privacy.E035" not in found
    assert "public demo key" in found["jsg_privacy.W035"].msg


def test_a_checkpoint_storage_missing_from_storages_is_an_error(settings):
    settings.JSG_PRIVACY_LEDGER_CHECKPOINT_STORAGE = "nowhere"
    assert "'nowhere', which is not in STORAGES" in messages()["jsg_privacy.E036"].msg


def test_checkpoints_in_the_working_folder_are_a_warning(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "jsg_privacy_ledger": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = ""
    assert "jsg_privacy.W036" in messages()


@pytest.mark.django_db
def test_a_ledger_without_a_checkpoint_is_a_warning_of_the_database_checks():
    assert "jsg_privacy.W037" not in messages(databases=["default"])  # empty: nothing to pin
    ledger.append(
        subject_key=subjects.for_consent_id("v"),
        purpose="analytics",
        action="given",
        channel="banner",
    )
    assert "no signed checkpoint" in messages(databases=["default"])["jsg_privacy.W037"].msg
    call_command("privacy_ledger_checkpoint")
    assert "jsg_privacy.W037" not in messages(databases=["default"])
