"""A customer's profile beside Django's own ``auth.User`` (the shop keeps the stock user model)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from example_shop.validators import validate_phone_number, validate_uk_postcode
from jsg_privacy.crypto.fields import EncryptedCharField, KeyedHashField

BILLING_DEFAULTS = ["billing_line1", "billing_line2", "billing_town", "billing_postcode"]
INSTALLATION_DEFAULTS = [
    "installation_line1",
    "installation_line2",
    "installation_town",
    "installation_postcode",
]


class CustomerProfile(models.Model):
    """A customer's saved phone, company and addresses, encrypted at rest (jsg_privacy.crypto)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer_profile"
    )
    phone = EncryptedCharField(max_length=32, blank=True, validators=[validate_phone_number])
    company_name = EncryptedCharField(max_length=150, blank=True)
    company_name_digest = KeyedHashField("company_name", kind="name")

    billing_line1 = EncryptedCharField("billing address line 1", max_length=150, blank=True)
    billing_line2 = EncryptedCharField("billing address line 2", max_length=150, blank=True)
    billing_town = EncryptedCharField("billing town or city", max_length=100, blank=True)
    billing_postcode = EncryptedCharField(
        "billing postcode", max_length=10, blank=True, validators=[validate_uk_postcode]
    )

    installation_line1 = EncryptedCharField(
        "installation address line 1", max_length=150, blank=True
    )
    installation_line2 = EncryptedCharField(
        "installation address line 2", max_length=150, blank=True
    )
    installation_town = EncryptedCharField("installation town or city", max_length=100, blank=True)
    installation_postcode = EncryptedCharField(
        "installation postcode", max_length=10, blank=True, validators=[validate_uk_postcode]
    )

    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "customer profile"

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def has_installation_address(self) -> bool:
        return bool(self.installation_line1 and self.installation_postcode)

    def checkout_initial(self) -> dict[str, Any]:
        """Initial checkout values: the saved phone, company and default addresses."""
        initial: dict[str, Any] = {"phone": self.phone, "company_name": self.company_name}
        initial.update({name: getattr(self, name) for name in BILLING_DEFAULTS})
        if self.has_installation_address():
            initial.update({name: getattr(self, name) for name in INSTALLATION_DEFAULTS})
            initial["installation_same_as_billing"] = all(
                getattr(self, i) == getattr(self, b)
                for b, i in zip(BILLING_DEFAULTS, INSTALLATION_DEFAULTS, strict=True)
            )
        return initial
