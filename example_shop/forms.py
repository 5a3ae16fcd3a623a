"""Form fields shared by the shop's apps: UK postcodes and phone numbers, cleaned the same way."""

from typing import Any

from django import forms

from example_shop.validators import normalise_postcode


class UKPostcodeField(forms.CharField):
    """A postcode, upper-cased and spaced as Royal Mail writes it (``ss143ae`` -> ``SS14 3AE``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "postal-code")

    def to_python(self, value: Any) -> str:
        return normalise_postcode(super().to_python(value))


class PhoneNumberField(forms.CharField):
    """A phone number, kept as typed (trimmed) but offered with the telephone keyboard."""

    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
