"""Messages sent through the contact form, and requests for a quotation."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from example_shop.validators import validate_phone_number, validate_uk_postcode
from jsg_privacy.crypto.fields import (
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedTextField,
    KeyedHashField,
)


class Enquiry(models.Model):
    # The name, contact details and the message are encrypted at rest; the exact name and address
    # find an enquiry through their keyed hashes. The subject stays in clear: staff sort by it.
    name = EncryptedCharField(max_length=150)
    name_digest = KeyedHashField("name", kind="name")
    email = EncryptedEmailField()
    email_digest = KeyedHashField("email")
    phone = EncryptedCharField(max_length=32, blank=True, validators=[validate_phone_number])
    subject = models.CharField(max_length=200)
    message = EncryptedTextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)  # retention anchor
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return self.subject

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class QuoteRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SENT = "sent", "Quote sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"

    name = EncryptedCharField(max_length=150)
    name_digest = KeyedHashField("name", kind="name")
    email = EncryptedEmailField()
    email_digest = KeyedHashField("email")
    phone = EncryptedCharField(max_length=32, validators=[validate_phone_number])
    company_name = EncryptedCharField(max_length=150, blank=True)
    company_name_digest = KeyedHashField("company_name", kind="name")
    installation_postcode = EncryptedCharField(max_length=10, validators=[validate_uk_postcode])
    products = models.ManyToManyField(
        "catalogue.Product", blank=True, related_name="quote_requests"
    )
    quantity = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    message = EncryptedTextField(max_length=5000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quote_requests",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    quoted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True, db_index=True)  # retention anchor

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Quote request from {self.created_at:%d %b %Y}"
