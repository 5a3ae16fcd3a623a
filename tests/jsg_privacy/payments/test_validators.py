"""Form validators a shop can reuse to keep card numbers out of its free-text fields."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from example_shop.enquiries.forms import EnquiryForm
from example_shop.enquiries.models import Enquiry
from example_shop.orders.validators import mpan_check_digit
from jsg_privacy.payments.guard import is_card_number
from jsg_privacy.payments.validators import NoCardDataFormMixin, reject_card_number

CARD = "4242-4242-4242-4242"


def luhn_passing_mpan() -> str:
    for serial in range(10**6):
        first_twelve = f"22{serial:010d}"
        core = f"{first_twelve}{mpan_check_digit(first_twelve)}"
        if is_card_number(core):
            return core
    raise AssertionError("no MPAN core passes the Luhn test")


def test_reject_card_number_explains_itself():
    with pytest.raises(ValidationError) as error:
        reject_card_number(f"My card is {CARD}")

    assert error.value.code == "card_number"
    assert "we never accept card details on this site" in error.value.messages[0]


@pytest.mark.parametrize("value", ["", None, "Call 07700 900456", "JSG-000123 on 2024-05-01", 42])
def test_reject_card_number_lets_ordinary_values_through(value):
    reject_card_number(value)


class SiteVisitForm(NoCardDataFormMixin, forms.Form):
    notes = forms.CharField(required=False)
    email = forms.EmailField(required=False)
    mpan = forms.CharField(required=False)
    meters = forms.IntegerField(required=False)


def test_the_mixin_guards_every_text_field():
    form = SiteVisitForm({"notes": f"card {CARD}", "mpan": CARD, "meters": "3"})

    assert not form.is_valid()
    assert set(form.errors) == {"notes", "mpan"}
    assert form.errors.as_data()["notes"][0].code == "card_number"


def test_the_mixin_keeps_the_mpan_exemption():
    mpan = luhn_passing_mpan()

    assert SiteVisitForm({"mpan": mpan}).is_valid()
    assert not SiteVisitForm({"notes": mpan}).is_valid()


def test_each_form_gets_its_own_validators():
    for _ in range(3):
        form = SiteVisitForm({"notes": CARD})
        form.is_valid()

    assert form.errors["notes"] == [form.errors.as_data()["notes"][0].messages[0]]
    assert reject_card_number not in SiteVisitForm.base_fields["notes"].validators


@pytest.mark.django_db
def test_a_shop_model_form_with_the_mixin_refuses_a_card_number():
    class SafeEnquiryForm(NoCardDataFormMixin, EnquiryForm):
        pass

    data = {"name": "Tom", "email": "tom@example.com", "subject": "Pay", "message": CARD}
    form = SafeEnquiryForm(data)

    assert not form.is_valid()
    assert "message" in form.errors
    assert not Enquiry.objects.exists()
    assert SafeEnquiryForm({**data, "message": "Please call me"}).is_valid()
