"""jsg_privacy.E012: no model field may be named like a card number or CVV."""

# ruff: noqa: DJ008  (throwaway models need no __str__)

from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from jsg_privacy.payments.checks import GUARD, check_card_fields, check_guard_position
from jsg_privacy.payments.guard import CardDataGuardMiddleware


def test_a_model_with_card_fields_is_an_error():
    with isolate_apps("tests.testapp") as apps:

        class CardOnFile(models.Model):
            company = models.CharField(max_length=100)
            card_number = models.CharField(max_length=19)
            cvv = models.CharField(max_length=4)
            last4 = models.CharField(max_length=4)
            cvc_check = models.CharField(max_length=10)

            class Meta:
                app_label = "testapp"

        errors = check_card_fields(app_configs=apps.get_app_configs())

    assert [error.id for error in errors] == ["jsg_privacy.E012", "jsg_privacy.E012"]
    assert all(error.level == checks.ERROR for error in errors)
    reported = [str(error) for error in errors]
    assert reported[0].startswith("testapp.CardOnFile.card_number: (jsg_privacy.E012)")
    assert reported[1].startswith("testapp.CardOnFile.cvv: (jsg_privacy.E012)")
    assert "token, brand and last four digits" in errors[0].hint


def test_inherited_and_proxy_models_are_reported_once():
    with isolate_apps("tests.testapp") as apps:

        class Payment(models.Model):
            cardNumber = models.CharField(max_length=19)

            class Meta:
                app_label = "testapp"

        class CardPayment(Payment):
            class Meta:
                app_label = "testapp"

        class PaymentProxy(Payment):
            class Meta:
                app_label = "testapp"
                proxy = True

        errors = check_card_fields(app_configs=apps.get_app_configs())

    assert [error.obj.model for error in errors] == [Payment]


def test_the_project_has_no_card_fields():
    assert check_card_fields() == []
    assert [
        m
        for m in checks.run_checks(tags=[checks.Tags.security], databases=[])
        if m.id == "jsg_privacy.E012"
    ] == []


# -- W030/W031: where the guard sits in MIDDLEWARE ------------------------------------------------

SECURITY = "django.middleware.security.SecurityMiddleware"
SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"


class ShopGuard(CardDataGuardMiddleware):
    """A shop's own guard, as docs/card-data-guard.md shows."""


def _guard_ids(settings, middleware):
    settings.MIDDLEWARE = [GUARD if path == "GUARD" else path for path in middleware]
    messages = check_guard_position()
    return [message.id for message in messages], messages


def test_the_guard_right_after_security_middleware_is_quiet(settings):
    ids, _ = _guard_ids(settings, [SECURITY, "GUARD", SESSIONS, CSRF])
    assert ids == []


def test_the_guard_after_sessions_and_csrf_names_them(settings):
    ids, messages = _guard_ids(settings, [SECURITY, SESSIONS, CSRF, "GUARD"])
    assert ids == ["jsg_privacy.W030"]
    assert SESSIONS in messages[0].msg
    assert CSRF in messages[0].msg
    assert SECURITY not in messages[0].msg


def test_a_subclass_of_the_guard_counts_as_the_guard(settings):
    ids, _ = _guard_ids(
        settings, [SESSIONS, "tests.jsg_privacy.payments.test_card_checks.ShopGuard"]
    )
    assert ids == ["jsg_privacy.W030"]


def test_payments_on_without_the_guard_is_a_warning(settings):
    settings.JSG_PRIVACY_PAYMENT_ADAPTER = "example_shop.orders.payments.OrderPaymentAdapter"
    ids, messages = _guard_ids(settings, [SECURITY, SESSIONS])
    assert ids == ["jsg_privacy.W031"]
    assert "CardDataGuardMiddleware" in messages[0].hint


def test_no_guard_and_no_payments_is_quiet(settings):
    settings.JSG_PRIVACY_PAYMENT_ADAPTER = None
    ids, _ = _guard_ids(settings, [SECURITY, SESSIONS])
    assert ids == []
