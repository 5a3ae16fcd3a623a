"""jsg_privacy.E012: no model field may be named like a card number or CVV."""

# ruff: noqa: DJ008  (throwaway models need no __str__)

from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from jsg_privacy.payments.checks import check_card_fields


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
        m for m in checks.run_checks(tags=[checks.Tags.security]) if m.id == "jsg_privacy.E012"
    ] == []
