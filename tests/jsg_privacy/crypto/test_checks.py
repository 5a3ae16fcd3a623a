"""E013-E015, W005: encryption that would fail in production is caught by manage.py check."""

import pytest
from django.contrib import admin
from django.core.checks import run_checks
from django.db import models
from django.test import override_settings
from django.test.utils import isolate_apps

from example_shop.orders.models import Order
from jsg_privacy import registry as privacy
from jsg_privacy.crypto.fields import EncryptedEmailField, KeyedHashField
from jsg_privacy.registry import registry


def ids(messages):
    return {m.id for m in messages}


def check_messages():
    return [m for m in run_checks() if m.id and m.id.startswith("jsg_privacy.")]


def test_no_keys_with_debug_off_is_an_error_naming_the_encrypting_models(settings):
    settings.JSG_PRIVACY_ENCRYPTION_KEYS = []
    settings.DEBUG = False
    messages = [m for m in check_messages() if m.id == "jsg_privacy.E013"]
    assert len(messages) == 1
    assert "orders.Order" in messages[0].msg
    assert "DEBUG is off" in messages[0].msg


def test_no_keys_with_debug_on_is_a_warning_and_a_derived_key_works(settings):
    settings.JSG_PRIVACY_ENCRYPTION_KEYS = ""
    settings.DEBUG = True
    assert "jsg_privacy.W005" in ids(check_messages())
    assert "jsg_privacy.E013" not in ids(check_messages())


@override_settings(JSG_PRIVACY_ENCRYPTION_KEYS=["short-s3cr3t"])
def test_a_malformed_key_is_an_error_that_does_not_print_it():
    message = next(m for m in check_messages() if m.id == "jsg_privacy.E013")
    assert "key 1 is not a Fernet key" in message.msg
    assert "s3cr3t" not in message.msg + message.hint


def test_the_configured_test_keys_pass():
    assert not {"jsg_privacy.E013", "jsg_privacy.W005"} & ids(check_messages())


def test_an_admin_searching_an_encrypted_field_is_an_error(monkeypatch):
    monkeypatch.setattr(admin.site._registry[Order], "search_fields", ["reference", "=email"])
    message = next(m for m in check_messages() if m.id == "jsg_privacy.E015")
    assert "'=email', an encrypted field" in message.msg
    assert "KeyedHashSearchMixin" in message.hint


def test_an_encrypted_subject_email_without_a_keyed_hash_is_an_error():
    with privacy.temporarily():
        registry.unregister(Order)

        @privacy.register(Order)
        class ByAgent(privacy.ModelSource):
            subject_email = "agent_email"  # encrypted, with no digest beside it
            fields = {"account": [f.name for f in Order._meta.concrete_fields if f.name != "id"]}
            not_personal = ["email_digest"]
            retention = privacy.Retention(anchor="created_at", period=privacy.Period(years=7))

        messages = [m for m in check_messages() if m.id == "jsg_privacy.E015"]
    assert any("orders.Order.subject_email is 'agent_email'" in m.msg for m in messages)
    assert 'agent_email_digest = KeyedHashField("agent_email")' in messages[0].hint


@isolate_apps("tests.testapp")
def test_a_keyed_hash_of_a_missing_field_is_an_error():
    class Contact(models.Model):
        address = EncryptedEmailField()
        address_digest = KeyedHashField("email")

        class Meta:
            app_label = "testapp"

        def __str__(self):
            return "contact"

    errors = Contact.check()
    assert [e.id for e in errors] == ["jsg_privacy.E014"]
    assert "hashes 'email', which is not a field" in errors[0].msg


@pytest.mark.django_db
def test_the_example_shop_passes_every_check():
    assert not [m for m in check_messages() if m.level >= 30]
