"""What the app keeps about the Saleor stores it is installed in and the people in them.

An :class:`Installation` per store (its token encrypted at rest), the digests of the webhook
deliveries already accepted (:class:`Delivery`, to recognise Saleor's retries), and two small
indexes of what the webhooks told us: the store's customers (:class:`Customer`: Saleor id and
e-mail address, encrypted, found by its keyed hash), every e-mail address each of them ever had
(:class:`CustomerEmail`, so a search for a person finds the orders placed under an earlier one) and the orders seen (:class:`Order`: when each
was created, which starts its retention clock and legal hold), the orders whose hold ended
and that are still to be cleared in Saleor (:class:`OrderClearance`), and the customers recently
erased (:class:`ErasedCustomer`), so a late event does not bring them back.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jsg_privacy.crypto import subjects
from jsg_privacy.crypto.fields import EncryptedEmailField, EncryptedTextField, KeyedHashField


class InstallationQuerySet(models.QuerySet):
    def active(self) -> InstallationQuerySet:
        """Installations whose token still works (not removed by APP_DELETED)."""
        return self.filter(removed_at__isnull=True).exclude(token="")


class Installation(models.Model):
    """The app installed in one Saleor store, found by the store's API URL."""

    api_url = models.URLField(_("Saleor API URL"), max_length=255, unique=True)
    app_id = models.CharField(_("app id in Saleor"), max_length=100)
    #: The app's auth token for the store's API; wiped when the store removes the app.
    token = EncryptedTextField(_("auth token"), blank=True, editable=False)
    #: The store's signing keys (its ``/.well-known/jwks.json``), as last fetched.
    jwks = models.JSONField(_("signing keys"), default=dict, blank=True, editable=False)
    jwks_fetched_at = models.DateTimeField(_("keys fetched"), null=True, blank=True)
    installed_at = models.DateTimeField(_("installed"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    #: The store's ``Saleor-Schema-Version`` when it installed the app ("3.22"): what it can do.
    schema_version = models.CharField(_("Saleor schema version"), max_length=16, blank=True)

    objects = InstallationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Saleor installation")
        verbose_name_plural = _("Saleor installations")
        ordering = ["api_url"]

    def __str__(self) -> str:
        return self.api_url

    @property
    def version(self) -> tuple[int, int] | None:
        """``schema_version`` as ``(major, minor)``; ``None`` if unknown."""
        major, _, minor = self.schema_version.partition(".")
        return (
            (int(major), int(minor.split(".")[0]))
            if major.isdigit() and minor[:1].isdigit()
            else None
        )


class Delivery(models.Model):
    """A webhook delivery accepted: the digest of its body, so Saleor's retries are recognised."""

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    event = models.CharField(max_length=40)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Saleor webhook delivery")
        verbose_name_plural = _("Saleor webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "digest"], name="jsg_saleor_delivery_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.digest[:12]}…"


class Customer(models.Model):
    """A customer of the store, kept current by the CUSTOMER_* webhooks."""

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="+")
    saleor_id = models.CharField(_("Saleor user id"), max_length=64)
    email = EncryptedEmailField(_("e-mail address"), blank=True)
    email_digest = KeyedHashField("email")
    #: The erasure case opened when the customer asked Saleor to delete their account.
    erasure_case = models.ForeignKey(
        "jsg_privacy.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed in Saleor"), default=timezone.now)

    class Meta:
        verbose_name = _("Saleor customer")
        verbose_name_plural = _("Saleor customers")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "saleor_id"], name="jsg_saleor_customer_unique"
            )
        ]

    def __str__(self) -> str:
        return self.saleor_id


class CustomerEmailQuerySet(models.QuerySet):
    def remember(self, installation_id: int, saleor_id: str, email: str) -> None:
        """Record that the Saleor user had ``email`` (once per address)."""
        if not saleor_id or not email:
            return
        mine = self.filter(installation_id=installation_id, saleor_id=saleor_id)
        if mine.filter(email_digest__matches=email).exists():
            return
        try:
            with transaction.atomic():
                self.create(installation_id=installation_id, saleor_id=saleor_id, email=email)
        except IntegrityError:
            pass  # another worker recorded it meanwhile


class CustomerEmail(models.Model):
    """An e-mail address a Saleor user had: the address history of the customer index.

    Saleor's orders keep the address they were placed under; after a customer changes theirs, only
    this history (and the user id) finds those orders again. Deleted with the customer's erasure.
    """

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="+")
    saleor_id = models.CharField(_("Saleor user id"), max_length=64)
    email = EncryptedEmailField(_("e-mail address"))
    email_digest = KeyedHashField("email")
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)

    objects = CustomerEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("Saleor customer's e-mail address")
        verbose_name_plural = _("Saleor customers' e-mail addresses")
        ordering = ["saleor_id", "first_seen", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "saleor_id", "email_digest"],
                name="jsg_saleor_customer_email_unique",
            )
        ]

    def __str__(self) -> str:
        return self.saleor_id


class Order(models.Model):
    """An order placed in the store: created on ORDER_CREATED, which starts its legal hold."""

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="+")
    saleor_id = models.CharField(_("Saleor order id"), max_length=64)
    number = models.CharField(_("order number"), max_length=32)
    created_at = models.DateTimeField(_("placed"))
    user_email = EncryptedEmailField(_("customer's e-mail address"), blank=True)
    user_email_digest = KeyedHashField("user_email")
    saleor_user_id = models.CharField(_("Saleor user id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("Saleor order")
        verbose_name_plural = _("Saleor orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "saleor_id"], name="jsg_saleor_order_unique"
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="jsg_saleor_order_created_idx")]

    def __str__(self) -> str:
        return f"#{self.number}"


class OrderClearance(models.Model):
    """An order whose legal hold ended: what Saleor still keeps of it is to be cleared.

    Written in the transaction that deletes the order's record, and deleted once Saleor confirmed
    the change, so a store that is away when the hold ends is cleared on a later try.
    """

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="+")
    saleor_id = models.CharField(_("Saleor order id"), max_length=64)
    due_since = models.DateTimeField(_("due since"), default=timezone.now)

    class Meta:
        verbose_name = _("Saleor order to clear")
        verbose_name_plural = _("Saleor orders to clear")
        ordering = ["due_since", "pk"]

    def __str__(self) -> str:
        return self.saleor_id


class ErasedCustomerQuerySet(models.QuerySet):
    def of(self, installation_id: int, saleor_id: str) -> ErasedCustomerQuerySet:
        """The record of one Saleor user of the installation (at most one)."""
        return self.filter(installation_id=installation_id, key=ErasedCustomer.key_for(saleor_id))

    def record(self, installation_id: int, saleor_id: str, erased_at: datetime) -> None:
        """Record that the user was erased at ``erased_at`` (a later time replaces an earlier one)."""
        record, created = self.get_or_create(
            installation_id=installation_id,
            key=ErasedCustomer.key_for(saleor_id),
            defaults={"erased_at": erased_at},
        )
        if not created:
            self.filter(pk=record.pk, erased_at__lt=erased_at).update(erased_at=erased_at)

    def covers(self, installation_id: int, saleor_id: str, issued_at: datetime) -> bool:
        """Whether an event about the user issued at ``issued_at`` predates their erasure."""
        return self.of(installation_id, saleor_id).filter(erased_at__gte=issued_at).exists()


class ErasedCustomer(models.Model):
    """A Saleor user whose index row was deleted (erased, deleted in Saleor, or expired).

    Only a keyed hash of the Saleor user id is kept, and only while an event issued before the
    erasure may still be delivered: such a late event must not index the customer again (with
    their e-mail address) nor open another erasure case. ``erased_at`` is the ``issuedAt`` of the
    Saleor event that deleted the user, so it compares with other events on Saleor's own clock;
    the time of the deletion here when no event caused it.
    """

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="+")
    #: ``keyed_hash("saleor_user", saleor_id)``: recognises the user without naming them.
    key = models.CharField(_("keyed hash of the Saleor user id"), max_length=64)
    erased_at = models.DateTimeField(_("erased"))

    objects = ErasedCustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("erased Saleor customer")
        verbose_name_plural = _("erased Saleor customers")
        ordering = ["-erased_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["installation", "key"], name="jsg_saleor_erased_unique")
        ]
        indexes = [models.Index(fields=["erased_at"], name="jsg_saleor_erased_at_idx")]

    def __str__(self) -> str:
        return f"{self.key[:12]}…"

    @staticmethod
    def key_for(saleor_id: str) -> str:
        return subjects.keyed_hash("saleor_user", saleor_id)


class Leftover(models.Model):
    """Something of an erased customer that Saleor keeps and its API cannot clear (or not yet).

    Recorded during the erasure; ``privacy_saleor_orphans`` clears what the API allows (addresses)
    and prints the SQL the store's operator runs for the rest (order notes and events, staff-side
    customer events naming the address). Only Saleor ids are kept, and for the staff-side customer
    events the address to look for, encrypted, until the operator confirms the SQL ran.
    """

    class Kind(models.TextChoices):
        ADDRESS = "address", _("address")
        CUSTOMER_NOTE = "customer_note", _("order's customer note")
        ORDER_EVENT = "order_event", _("order event or note")
        CUSTOMER_EVENTS = "customer_events", _("staff-side customer events naming the address")

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="+")
    #: ``for_email`` of the erased subject: finds their leftovers without naming them.
    subject_key = models.CharField(_("subject key"), max_length=64, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    saleor_id = models.CharField(_("Saleor id"), max_length=100, blank=True)
    email = EncryptedEmailField(_("e-mail address looked for"), blank=True)
    email_digest = KeyedHashField("email")
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    sql_given_at = models.DateTimeField(_("SQL given to the operator"), null=True, blank=True)

    class Meta:
        verbose_name = _("Saleor leftover of an erasure")
        verbose_name_plural = _("Saleor leftovers of erasures")
        ordering = ["found_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.saleor_id}".strip()


class ChoicesSeen(models.Model):
    """The marketing boxes last recorded from one checkout (and its order) or one account page.

    Saleor sends CHECKOUT_UPDATED on every change of a checkout, and the order copies its metadata:
    a value already recorded for the checkout is not recorded again. Only keyed hashes are kept.
    """

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="+")
    #: ``keyed_hash("saleor_choices", <checkout or user id>)``.
    key = models.CharField(max_length=64)
    #: ``keyed_hash`` of the person and the value recorded: a new person or value is recorded.
    digest = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Saleor marketing boxes recorded")
        verbose_name_plural = _("Saleor marketing boxes recorded")
        constraints = [
            models.UniqueConstraint(
                fields=["installation", "key"], name="jsg_saleor_choices_seen_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key[:12]}…"
