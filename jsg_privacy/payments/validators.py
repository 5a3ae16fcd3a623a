"""Form validators that keep card numbers out of a shop's free-text fields.

The card-data guard middleware refuses whole requests; these give a friendly error on the field
instead, for shops that want the visitor to correct the form (or that run without the middleware)::

    class EnquiryForm(NoCardDataFormMixin, forms.ModelForm): ...

    message = forms.CharField(validators=[reject_card_number])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jsg_privacy.conf import app_settings
from jsg_privacy.payments.card_data import find_card_numbers
from jsg_privacy.payments.request_fields import is_exempt

CARD_NUMBER_MESSAGE = _(
    "This looks like a payment card number. For your safety we never accept card details on this "
    "site; card payments go straight to our payment provider."
)


def reject_card_number(value: Any) -> None:
    """Raise ``ValidationError`` (code ``"card_number"``) if ``value`` holds a card number."""
    if value and find_card_numbers(str(value)):
        raise ValidationError(CARD_NUMBER_MESSAGE, code="card_number")


def exempt_aware_validator(name: str) -> Callable[[Any], None]:
    """``reject_card_number`` for the field ``name``, which lets through a value that the field's
    ``JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS`` validator accepts (an MPAN that passes the Luhn test)."""

    def validate(value: Any) -> None:
        if not is_exempt(name, value):
            reject_card_number(value)

    return validate


class NoCardDataFormMixin:
    """Adds ``reject_card_number`` to every ``CharField`` of the form (list it before the form
    class). Fields named in ``JSG_PRIVACY_CARD_GUARD_EXEMPT_FIELDS`` keep their exemption."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        exempt = app_settings.CARD_GUARD_EXEMPT_FIELDS
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                validator = exempt_aware_validator(name) if name in exempt else reject_card_number
                field.validators.append(validator)
