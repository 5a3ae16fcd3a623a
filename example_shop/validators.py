"""Loose checks for UK contact details, shared by the shop's models and forms.

They catch typing mistakes, not every impossible value: a postcode must look like one, and a
phone number must have a plausible count of digits once spaces and punctuation are removed.
"""

import re

from django.core.exceptions import ValidationError

# Outward code (A9, A99, AA9, AA99, A9A, AA9A) + optional space + inward code (9AA).
UK_POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
PHONE_CHARS_RE = re.compile(r"^\+?[0-9 ()\-]+$")
PHONE_MIN_DIGITS = 10
PHONE_MAX_DIGITS = 15


def normalise_postcode(value: str) -> str:
    """Return ``value`` upper-cased with a single space before the inward code."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def validate_uk_postcode(value: str) -> None:
    if not UK_POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError(
            "Enter a UK postcode, for example SS14 3AE.",
            code="invalid_postcode",
        )


def validate_phone_number(value: str) -> None:
    digits = re.sub(r"\D", "", value or "")
    if not PHONE_CHARS_RE.match(value or "") or not (
        PHONE_MIN_DIGITS <= len(digits) <= PHONE_MAX_DIGITS
    ):
        raise ValidationError(
            "Enter a phone number, for example 01268 773766 or +44 1268 773766.",
            code="invalid_phone",
        )
