"""The MPAN (Meter Point Administration Number) core and its check digit.

The 13-digit core ends in a check digit: multiply the first 12 digits by the weights below,
sum, take the result mod 11 and then mod 10. Validating an MPAN by its own rule matters
because some MPAN cores also pass the Luhn test that card numbers use.
"""

import re

from django.core.exceptions import ValidationError

MPAN_WEIGHTS = (3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43)
MPAN_CORE_RE = re.compile(r"^[0-9]{13}$")


def normalise_mpan(value: str) -> str:
    """Drop the spaces and dashes people type when copying an MPAN from a bill."""
    return re.sub(r"[\s\-]", "", value or "")


def mpan_check_digit(first_twelve: str) -> int:
    """Return the check digit for the first 12 digits of an MPAN core."""
    if not re.fullmatch(r"[0-9]{12}", first_twelve):
        raise ValueError("An MPAN check digit is computed from exactly 12 digits.")
    total = sum(
        int(digit) * weight for digit, weight in zip(first_twelve, MPAN_WEIGHTS, strict=True)
    )
    return total % 11 % 10


def is_valid_mpan_core(value: str) -> bool:
    core = normalise_mpan(value)
    return bool(MPAN_CORE_RE.match(core)) and mpan_check_digit(core[:12]) == int(core[12])


def validate_mpan_core(value: str) -> None:
    core = normalise_mpan(value)
    if not MPAN_CORE_RE.match(core):
        raise ValidationError(
            "An MPAN core has 13 digits: the bottom line of the MPAN on your electricity bill.",
            code="invalid_mpan_length",
        )
    if not is_valid_mpan_core(core):
        raise ValidationError(
            "This MPAN's check digit does not match. Please check it against your bill.",
            code="invalid_mpan_check_digit",
        )
