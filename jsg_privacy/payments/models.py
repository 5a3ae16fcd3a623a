"""What a shop keeps of a payment — provider ids, brand, last four, expiry, never a card number — the
log of what was disclosed to payment providers, and the webhook events already processed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jsg_privacy.payments.base import Status, format_amount

#: A reference has at most one payment in these states: no double charge, no charge after payment.
LIVE = (Status.PROCESSING, Status.SUCCEEDED)


class Payment(models.Model):
    """One attempt to pay for an order. A declined attempt stays, and the order can be paid again."""

    class Statuses(models.TextChoices):
        PROCESSING = "processing", _("processing")
        REQUIRES_ACTION = "requires_action", _("waiting for the customer (3-D Secure)")
        SUCCEEDED = "succeeded", _("paid")
        DECLINED = "declined", _("declined")
        FAILED = "failed", _("failed")
        REFUNDED = "refunded", _("refunded")

    reference = models.CharField(_("order reference"), max_length=64, db_index=True)
    gateway = models.CharField(_("gateway"), max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: Keyed hash of the user (or of the e-mail address of a guest): how exports find guests' payments.
    subject_key = models.CharField(_("subject key"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Statuses.choices, default=Statuses.PROCESSING
    )
    amount = models.PositiveIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    intent_id = models.CharField(_("payment id"), max_length=255, blank=True, db_index=True)
    payment_method_id = models.CharField(_("payment method id"), max_length=255, blank=True)
    customer_id = models.CharField(_("provider's customer id"), max_length=255, blank=True)
    brand = models.CharField(_("card brand"), max_length=32, blank=True)
    last4 = models.CharField(_("last four digits"), max_length=4, blank=True)
    exp_month = models.PositiveSmallIntegerField(_("expiry month"), null=True, blank=True)
    exp_year = models.PositiveSmallIntegerField(_("expiry year"), null=True, blank=True)
    failure_message = models.CharField(_("reason declined"), max_length=255, blank=True)
    refund_id = models.CharField(_("refund id"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        permissions = [("refund_payment", _("Can refund payments"))]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=models.Q(status__in=[str(status) for status in LIVE]),
                name="jsg_payment_one_live_per_reference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.display_amount} ({self.get_status_display()})"

    @property
    def display_amount(self) -> str:
        return format_amount(self.amount, self.currency)

    @property
    def card(self) -> str:
        """``Visa ending 4242 (12/2030)``, ``PayPal`` for a way of paying with no card number, or
        "" before it is known."""
        if not self.last4:
            return self.brand
        expiry = f" ({self.exp_month:02d}/{self.exp_year})" if self.exp_month else ""
        return f"{self.brand or _('Card')} {_('ending')} {self.last4}{expiry}"


class Disclosure(models.Model):
    """One call that sent personal data to a recipient: who, why, which fields (names only), when.

    Read-only, like the consent ledger. Shown in the subject's data export (Art. 15(1)(c)); a
    deletion sent to a recipient on erasure (Art. 19) is recorded here too, with no fields.
    """

    recipient = models.CharField(_("recipient"), max_length=64, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=64)
    operation = models.CharField(_("operation"), max_length=64)
    field_names = models.JSONField(_("fields sent"), default=list)
    subject_key = models.CharField(_("subject key"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosure log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.recipient} {self.operation}: {', '.join(self.field_names) or '-'}"


class WebhookEvent(models.Model):
    """A provider event already processed: a replayed event is recognised and changes nothing."""

    gateway = models.CharField(_("gateway"), max_length=32)
    event_id = models.CharField(_("event id"), max_length=255)
    kind = models.CharField(_("type"), max_length=100)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="jsg_webhook_event_unique")
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.kind} {self.event_id}"
