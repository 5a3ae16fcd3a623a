"""Orders placed online, by a signed-in customer or a guest, possibly through an employer or agent.

An order copies the customer's contact details and addresses at the time of ordering, as a
shop must keep them with its sales records; the product name and price are copied too.
"""

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from example_shop.orders.validators import validate_mpan_core
from example_shop.validators import validate_phone_number, validate_uk_postcode
from jsg_privacy.crypto.fields import (
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedTextField,
    KeyedHashField,
)
from jsg_privacy.payments.models import Payment

REFERENCE_PREFIX = "JSG-"
CHECKOUT_ADDRESS_FIELDS = [
    f"{kind}_{part}"
    for kind in ("billing", "installation")
    for part in ("line1", "line2", "town", "postcode")
]


class Order(models.Model):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
        PAID = "paid", "Paid"
        DISPATCHED = "dispatched", "Dispatched"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class OrderedOnBehalf(models.TextChoices):
        """Who placed the order: the source of the customer's data (privacy policy §1.2)."""

        SELF = "self", "The customer"
        EMPLOYER = "employer", "The customer's employer"
        AGENT = "agent", "An agent acting for the customer"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT, db_index=True
    )

    # The customer. Names, contact details, addresses, notes and meter identifiers are encrypted at
    # rest (jsg_privacy.crypto). Staff find an order by its reference, or by the exact e-mail
    # address, full name or company name (any case) through their keyed hashes.
    email = EncryptedEmailField()
    email_digest = KeyedHashField("email")
    full_name = EncryptedCharField(max_length=150)
    full_name_digest = KeyedHashField("full_name", kind="name")
    phone = EncryptedCharField(max_length=32, validators=[validate_phone_number])

    # Billing address.
    billing_line1 = EncryptedCharField("address line 1", max_length=150)
    billing_line2 = EncryptedCharField("address line 2", max_length=150, blank=True)
    billing_town = EncryptedCharField("town or city", max_length=100)
    billing_postcode = EncryptedCharField(
        "postcode", max_length=10, validators=[validate_uk_postcode]
    )
    billing_country = models.CharField("country", max_length=2, default="GB")

    # Where the meter is installed: a home or business premises.
    installation_line1 = EncryptedCharField("address line 1", max_length=150)
    installation_line2 = EncryptedCharField("address line 2", max_length=150, blank=True)
    installation_town = EncryptedCharField("town or city", max_length=100)
    installation_postcode = EncryptedCharField(
        "postcode", max_length=10, validators=[validate_uk_postcode]
    )
    installation_country = models.CharField("country", max_length=2, default="GB")
    site_contact_name = EncryptedCharField(max_length=150, blank=True)
    site_contact_phone = EncryptedCharField(
        max_length=32, blank=True, validators=[validate_phone_number]
    )
    access_notes = EncryptedTextField(
        blank=True, help_text="Parking, access codes, where the meter cupboard is."
    )
    mpan = EncryptedCharField(
        "MPAN core",
        max_length=13,
        blank=True,
        validators=[validate_mpan_core],
        help_text="The 13-digit bottom line of the MPAN on the electricity bill.",
    )
    meter_serial = EncryptedCharField("meter serial number", max_length=40, blank=True)

    # Who placed the order when it was not the customer.
    ordered_on_behalf = models.CharField(
        "order placed by",
        max_length=10,
        choices=OrderedOnBehalf.choices,
        default=OrderedOnBehalf.SELF,
    )
    company_name = EncryptedCharField(max_length=150, blank=True)
    company_name_digest = KeyedHashField("company_name", kind="name")
    agent_name = EncryptedCharField(max_length=150, blank=True)
    agent_email = EncryptedEmailField(blank=True)
    agent_phone = EncryptedCharField(max_length=32, blank=True, validators=[validate_phone_number])

    subtotal = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    total = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    invoiced_at = models.DateTimeField(null=True, blank=True, db_index=True)  # retention anchor
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference or "New order"

    def save(self, *args, **kwargs) -> None:
        # The reference comes from the primary key, known only after the first INSERT;
        # a unique placeholder (the public id) holds the column until then.
        if not self.reference:
            self.reference = f"NEW-{self.public_id.hex[:16]}"
            super().save(*args, **kwargs)
            self.reference = f"{REFERENCE_PREFIX}{self.pk:06d}"
            kwargs = {"using": kwargs.get("using"), "update_fields": ["reference"]}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("accounts:order_detail", kwargs={"reference": self.reference})

    def get_confirmation_url(self) -> str:
        return reverse("orders:confirmation", kwargs={"public_id": self.public_id})

    def checkout_initial(self) -> dict[str, Any]:
        """This order's phone, company and addresses, to fill in the customer's next checkout."""
        names = ["phone", "company_name", *CHECKOUT_ADDRESS_FIELDS]
        initial: dict[str, Any] = {name: getattr(self, name) for name in names}
        initial["installation_same_as_billing"] = all(
            getattr(self, f"installation_{part}") == getattr(self, f"billing_{part}")
            for part in ("line1", "line2", "town", "postcode")
        )
        return initial

    @cached_property
    def card_payment(self) -> Payment | None:
        """The card payment that paid this order (refunded since, perhaps), if there is one."""
        paid = [Payment.Statuses.SUCCEEDED, Payment.Statuses.REFUNDED]
        return Payment.objects.filter(reference=self.reference, status__in=paid).last()

    @property
    def vat_included(self) -> Decimal:
        """The VAT within the total, at the UK standard rate of 20%."""
        return (self.total / 6).quantize(Decimal("0.01"))

    def recalculate_totals(self) -> None:
        self.subtotal = sum((line.line_total for line in self.lines.all()), Decimal(0))
        self.total = self.subtotal


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.PROTECT, related_name="order_lines"
    )
    product_name = models.CharField(max_length=200)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity
