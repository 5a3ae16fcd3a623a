"""E013-E015, W005: encryption that would fail in production is caught by manage.py check; I001
lists personal fields left in clear, for the shop to decide; E040, a wrong decision."""

import pytest
from django.contrib import admin
from django.core.checks import INFO, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
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


def in_clear_messages():
    return {m.obj._meta.label: m for m in check_messages() if m.id == "jsg_privacy.I001"}


def test_personal_fields_left_in_clear_are_listed_once_per_model_for_the_shop_to_decide():
    found = in_clear_messages()

    # The example shop encrypts every name and contact field of its own: only Django's user
    # model, which it does not own, is left, with the way to a custom user model.
    user = found["auth.User"]
    assert user.level == INFO
    assert user.msg == (
        "auth.User stores declared personal fields in clear: username, first_name, last_name, "
        "email."
    )
    assert "custom user model" in user.hint
    assert "password" not in user.msg  # a salted hash
    assert not {"orders.Order", "enquiries.Enquiry", "accounts.CustomerProfile"} & set(found)
    # A model that keeps text in clear, a JSON field's keys included: one message, every field.
    assert found["testapp.Ticket"].msg.endswith("in clear: email, phone, subject, body.")
    assert found["testapp.Delivery"].msg.endswith(
        "in clear: extra__contact__email, extra__phone, extra__gift_message."
    )
    assert "TicketSource.in_clear" in found["testapp.Ticket"].hint
    # jsg_privacy's own tables are documented, not reported.
    assert not [label for label in found if label.startswith("jsg_privacy")]


def test_a_field_in_clear_is_listed_until_the_shop_records_why(monkeypatch):
    source = registry.sources["orders.Order"]
    monkeypatch.setattr(source, "in_clear", {"billing_country": "VAT reports"})

    message = in_clear_messages()["orders.Order"]

    assert (
        message.msg
        == "orders.Order stores declared personal fields in clear: installation_country."
    )
    assert "status" not in message.msg  # not personal; choices, dates and amounts are never listed


@override_settings(JSG_PRIVACY_STRICT=True)
def test_fields_in_clear_never_fail_check_even_when_strict():
    call_command("check")  # raises SystemCheckError on any error
    call_command("check", "--fail-level", "WARNING")  # I001 is information, nothing more


def test_in_clear_naming_an_encrypted_or_unknown_field_is_an_error(monkeypatch):
    source = registry.sources["orders.Order"]
    monkeypatch.setattr(
        source, "in_clear", {**source.in_clear, "phone": "typo", "colour": "no such field"}
    )

    (message,) = [m for m in check_messages() if m.id == "jsg_privacy.E040"]

    assert message.msg.startswith("OrderSource.in_clear names 'phone', 'colour': not a declared")
    with pytest.raises(SystemCheckError, match=r"jsg_privacy\.E040"):
        call_command("check")
