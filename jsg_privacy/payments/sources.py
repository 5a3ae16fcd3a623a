"""The payments tables as sources in the registry: the notice, exports, erasure and retention know them.

Payments are found by the payer's user, or — for guests, whose e-mail address is not stored here — by
the keyed hash of the address (``subject_key``). They are sales records: on erasure they are kept
under the same 7-year legal hold as the orders they paid for, with only the brand, last four digits,
amounts and dates left; everything linking them to the person is cleared at once. The disclosure log
is kept for as long, as proof of what was shared and of the deletions sent on erasure (Art. 19).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jsg_privacy.inventory import TRANSACTION
from jsg_privacy.payments.models import Disclosure
from jsg_privacy.registry import (
    Action,
    Delete,
    LegalHold,
    ModelSource,
    Money,
    Period,
    Retention,
    Subject,
)
from jsg_privacy.registry.keyed import KeyedTableSource, subject_keys

RECORDS_HOLD = Period(years=7)
RECORDS_REASON = _(
    "HMRC requires payment records to be kept with the sales records; we keep them 7 years, like "
    "the orders they paid for"
)
AFTER_PAYMENT = _("after the payment")


class PaymentSource(ModelSource):
    label = _("Your payments")
    notice_labels = {
        "user": _("your account"),
        "subject_key": _("a coded form of your e-mail address"),
        "customer_id": _("the payment provider's reference for you"),
        "payment_method_id": _("its reference for your card"),
        "intent_id": _("its reference for the payment"),
        "amount": _("amount"),
        "failure_message": _("why a payment was declined"),
        "created_at": _("when you started paying"),
        "paid_at": _("when you paid"),
        "refunded_at": _("when we refunded you"),
    }
    subject = "user"
    data_subjects = "customers who paid by card"
    fields = {
        TRANSACTION: [
            "user",
            "subject_key",
            "customer_id",
            "payment_method_id",
            "intent_id",
            "brand",
            "last4",
            "exp_month",
            "exp_year",
            "amount",
            "currency",
            "failure_message",
            "created_at",
            "paid_at",
            "refunded_at",
        ]
    }
    not_personal = ["reference", "gateway", "status", "refund_id", "updated_at"]
    export = [
        "reference",
        "gateway",
        "status",
        # The token the provider keeps of the payer (a Stripe customer, a PayPal vault token): the
        # subject may see it, and it is deleted at the provider on erasure (Art. 15, 19).
        "customer_id",
        "brand",
        "last4",
        "exp_month",
        "exp_year",
        "amount",
        "currency",
        "failure_message",
        "created_at",
        "paid_at",
        "refunded_at",
    ]
    # Stored in pence; every export shows it in pounds, like the orders' amounts.
    money = {"amount": Money(currency_field="currency", minor_units=True, label=_("amount"))}
    retention = Retention(
        anchor="created_at",
        period=RECORDS_HOLD,
        action=Action.DELETE,
        anchor_label=AFTER_PAYMENT,
        reason=RECORDS_REASON,
    )
    erasure = LegalHold(
        anchor="created_at",
        period=RECORDS_HOLD,
        reason=RECORDS_REASON,
        keep=(
            "intent_id",
            "brand",
            "last4",
            "amount",
            "currency",
            "created_at",
            "paid_at",
            "refunded_at",
        ),
        then=Delete(),
        anchor_label=AFTER_PAYMENT,
    )

    def subject_filter(self, subject: Subject) -> models.Q:
        """The user's payments, and those made under the subject's keys (guests, by e-mail)."""
        keys, _email_key = subject_keys(subject)
        return super().subject_filter(subject) | models.Q(subject_key__in=keys)


class DisclosureSource(KeyedTableSource):
    key = Disclosure._meta.label
    label = _("What we sent to payment providers")
    notice_labels = {
        "recipient": _("which payment provider"),
        "purpose": _("why"),
        "operation": _("what we asked it to do"),
        "field_names": _("which details we sent (their names only)"),
        "created_at": _("when"),
    }
    model = Disclosure
    fields = {TRANSACTION: ["recipient", "purpose", "operation", "field_names", "created_at"]}
    exported = ("created_at", "recipient", "purpose", "operation", "field_names")
    data_subjects = "customers who paid by card"
    retention = Retention(
        anchor="created_at",
        period=RECORDS_HOLD,
        anchor_label=_("after the disclosure"),
        reason=RECORDS_REASON,
    )
    erasure = LegalHold(
        anchor="created_at",
        period=RECORDS_HOLD,
        reason=_(
            "proof of what we shared with payment providers and of the deletions we sent them; "
            "it holds field names, never their values"
        ),
        then=Delete(),
        anchor_label=_("after the disclosure"),
    )

    def rows(self, subject: Subject) -> models.QuerySet:
        keys, _email_key = subject_keys(subject)
        return Disclosure.objects.filter(subject_key__in=keys).order_by("pk")

    def erase(self, subject: Subject) -> int:
        """Erasure keeps the log (the legal hold above): it proves the erasure reached recipients."""
        return 0
