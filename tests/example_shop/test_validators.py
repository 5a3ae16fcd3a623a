import pytest
from django.core.exceptions import ValidationError

from example_shop.factories import random_mpan_core
from example_shop.orders.validators import is_valid_mpan_core, validate_mpan_core
from example_shop.validators import normalise_postcode, validate_phone_number, validate_uk_postcode


@pytest.mark.parametrize(
    "mpan",
    [
        "1200023305967",  # 1019 mod 11 = 7
        "1000000000165",  # also passes the Luhn test that card numbers use
        "12 0002 3305 967",  # as printed on a bill
    ],
)
def test_mpan_with_a_matching_check_digit_is_accepted(mpan):
    validate_mpan_core(mpan)


@pytest.mark.parametrize(
    ("mpan", "code"),
    [
        ("1200023305968", "invalid_mpan_check_digit"),
        ("1200023305960", "invalid_mpan_check_digit"),
        ("120002330596", "invalid_mpan_length"),
        ("12000233059671", "invalid_mpan_length"),
        ("12000233O5967", "invalid_mpan_length"),
    ],
)
def test_mpan_with_a_wrong_check_digit_or_length_is_refused(mpan, code):
    with pytest.raises(ValidationError) as error:
        validate_mpan_core(mpan)
    assert error.value.code == code


def test_factory_mpans_are_valid():
    assert all(is_valid_mpan_core(random_mpan_core()) for _ in range(200))


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [("ss143ae", "SS14 3AE"), ("SW1A 1AA", "SW1A 1AA"), (" m1  1ae ", "M1 1AE")],
)
def test_postcodes_are_normalised_and_accepted(typed, normalised):
    assert normalise_postcode(typed) == normalised
    validate_uk_postcode(typed)


@pytest.mark.parametrize("postcode", ["", "12345", "SS14", "not a postcode", "SS14 3AEE"])
def test_bad_postcodes_are_refused(postcode):
    with pytest.raises(ValidationError):
        validate_uk_postcode(postcode)


@pytest.mark.parametrize("phone", ["01268 773766", "+44 1268 773766", "(01268) 773-766"])
def test_phone_numbers_are_accepted(phone):
    validate_phone_number(phone)


@pytest.mark.parametrize("phone", ["123", "call me", "01268 773766 ext 2", "+44 " + "1" * 20])
def test_bad_phone_numbers_are_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone_number(phone)
