"""A data-subject request is a :class:`Case`; everything done on it is a :class:`CaseEvent`."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jsg_privacy.crypto.fields import (
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedTextField,
    KeyedHashField,
)


class Kind(models.TextChoices):
    ACCESS = "access", _("access (a copy of my data)")
    PORTABILITY = "portability", _("portability (my data, machine-readable)")
    RECTIFICATION = "rectification", _("rectification (correct my data)")
    ERASURE = "erasure", _("erasure (delete my data)")
    RESTRICTION = "restriction", _("restriction (limit what you do with my data)")
    OBJECTION = "objection", _("objection (stop a use of my data)")
    #: Not a right exercised but a complaint about how the shop handles personal data (DPA 2018
    #: s.164A): acknowledged within 30 days, investigated, answered with the ICO route.
    COMPLAINT = "complaint", _("complaint about how we handle personal data")


class Status(models.TextChoices):
    UNVERIFIED = "unverified", _("awaiting identity check")
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("failed (can be retried)")
    #: Done here; recipients that received the data are still to be told (Art. 19).
    WAITING = "waiting", _("waiting for recipients")
    #: Closed: the requester did not answer a request for clarification in time (Art. 12A).
    NO_REPLY = "no_reply", _("closed: no reply to our question")


class Channel(models.TextChoices):
    ACCOUNT = "account", _("account page")
    WEB_FORM = "web_form", _("public request form")
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("telephone")
    LETTER = "letter", _("letter")
    SALEOR = "saleor", _("Saleor")
    STAFF = "staff", _("staff, from the admin")


OPEN_STATUSES = (Status.UNVERIFIED, Status.OPEN, Status.IN_PROGRESS, Status.FAILED)
#: Not answered yet: open, or done but with recipients still to be told; the deadline applies.
UNFINISHED_STATUSES = (*OPEN_STATUSES, Status.WAITING)


class CaseQuerySet(models.QuerySet):
    def still_open(self) -> CaseQuerySet:
        return self.filter(status__in=UNFINISHED_STATUSES)

    def overdue(self, today: date | None = None) -> CaseQuerySet:
        """Open cases past their deadline: the clock has started (Art. 12A), is not paused for
        clarification, and the due date (days paused added) or the extension has passed."""
        today = today or timezone.localdate()
        return (
            self.still_open()
            .filter(clock_started_at__isnull=False, paused_since__isnull=True)
            .filter(
                models.Q(extended_until__isnull=True, due_on__lt=today)
                | models.Q(extended_until__lt=today)
            )
        )


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("request"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UNVERIFIED
    )
    channel = models.CharField(_("received by"), max_length=16, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = EncryptedEmailField(_("requester's e-mail address"), max_length=254)
    #: Finds a subject's cases by address (``email_digest__matches=...``) without decrypting.
    email_digest = KeyedHashField("email")
    details = EncryptedTextField(_("what was asked"), blank=True, max_length=5000)
    identity_check = EncryptedCharField(_("how identity was checked"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    verified_at = models.DateTimeField(_("identity confirmed"), null=True, blank=True)
    #: When the requester proved they receive mail at ``email`` for this request: the e-mailed
    #: link of the public form, or staff recording how they checked. Records found only by the
    #: address are included only with this proof, or once the account's address is proven.
    email_confirmed_at = models.DateTimeField(
        _("address confirmed for this request"), null=True, blank=True
    )
    #: When the Art. 12(3) clock started (Art. 12A): identity confirmed, or receipt when the
    #: requester's identity was already known (an account, staff who checked it).
    clock_started_at = models.DateTimeField(_("clock started (Art. 12A)"), null=True, blank=True)
    #: One month from the clock's start, plus every day it was paused for clarification.
    due_on = models.DateField(_("due (one month, plus days paused)"))
    #: Days the clock was paused waiting for the requester's clarification, added to the due date.
    paused_days = models.PositiveIntegerField(_("days paused for clarification"), default=0)
    #: Set while the clock is paused: since when we wait for the requester's clarification.
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = EncryptedTextField(_("reason for the extension"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    #: A complaint: when its acknowledgement was sent (s.164A: within 30 days of receipt).
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    #: The language of the pages the request was made on; its letters and export are in it
    #: (:mod:`jsg_privacy.requests.language`). Blank: the project's ``LANGUAGE_CODE``.
    language = models.CharField(_("language"), max_length=15, blank=True, editable=False)
    failure_reason = models.TextField(_("why it failed"), blank=True)
    #: One-time identity link: the nonce it carries; cleared once used.
    verification_nonce = models.CharField(max_length=32, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="jsg_case_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_kind_display()})"

    @property
    def deadline(self) -> date:
        return self.extended_until or self.due_on

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in UNFINISHED_STATUSES
            and self.clock_started_at is not None
            and self.paused_since is None
            and self.deadline < timezone.localdate()
        )

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None


class ComplaintManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(kind=Kind.COMPLAINT)


class Complaint(Case):
    """A complaint is a case of its own kind, with its own list in the admin."""

    objects = ComplaintManager.from_queryset(CaseQuerySet)()  # type: ignore[misc,assignment]

    class Meta:
        proxy = True
        verbose_name = _("data-protection complaint")
        verbose_name_plural = _("data-protection complaints")


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("acknowledgement")
    UPDATE = "update", _("progress update")
    OUTCOME = "outcome", _("outcome")


class Letter(models.Model):
    """What we wrote to a complainant, kept as it was sent: proof they were kept informed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("letter"), max_length=16, choices=LetterKind.choices)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = EncryptedTextField(_("text"), max_length=20000)

    class Meta:
        verbose_name = _("letter to the complainant")
        verbose_name_plural = _("letters to the complainant")
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_kind_display()}"


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit trail of a request is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The audit trail of a request is append-only.")


class CaseEvent(models.Model):
    """Who did what to a case, and when. Names fields, never their values."""

    #: The trail goes with its case when retention deletes the case (never before: the case is
    #: kept for six years under its legal hold, and the trail cannot be changed or deleted).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=120)
    detail = EncryptedTextField(blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("request audit entry")
        verbose_name_plural = _("request audit trail")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail of a request is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit trail of a request is append-only.")


def new_nonce() -> str:
    return secrets.token_hex(16)


class Clarification(models.Model):
    """A question staff asked the requester (Art. 12A): the clock is paused until the answer.

    The requester answers through a one-time link e-mailed with the question, or staff record an
    answer received another way. Either resumes the clock; the days paused go onto the due date.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clarifications")
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    #: What we need to know and why: e-mailed to the requester as it is.
    question = EncryptedTextField(_("question (with the reason it is needed)"), max_length=2000)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = EncryptedTextField(_("answer"), blank=True, max_length=5000)
    #: How the answer came: "reply link", or what staff recorded (a call, a letter).
    answered_how = models.CharField(_("answered by"), max_length=200, blank=True)
    days_paused = models.PositiveIntegerField(_("days paused"), default=0)
    #: Carried by the reply link; cleared once answered or the case is closed.
    link_nonce = models.CharField(max_length=32, blank=True, default=new_nonce, editable=False)

    class Meta:
        verbose_name = _("request for clarification")
        verbose_name_plural = _("requests for clarification")
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {_('clarification')}"


class ExportFile(models.Model):
    """A subject's export, kept only until ``expires_at``; then the file is deleted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exports")
    name = models.CharField(_("stored file"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("link expires"))
    downloaded_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    #: Carried by the download link: a new one is drawn when the file is downloaded without an
    #: account, so each e-mailed link serves one download.
    link_nonce = models.CharField(max_length=32, blank=True, default=new_nonce, editable=False)
    #: The one-time code e-mailed at download time to a requester without an account: a keyed
    #: hash of it (never the code), when it stops working, and the wrong answers given so far.
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case.reference} export"

    @property
    def available(self) -> bool:
        return self.deleted_at is None and self.expires_at > timezone.now()


class AddressProof(models.Model):
    """An account holder proved they receive mail at an address: they opened a link sent to it.

    Only a keyed hash of the address is kept (:func:`jsg_privacy.crypto.subjects.for_email`), so
    a proof holds for that address only: after a change of address, it must be proven again.
    Records found by e-mail address alone (a guest order, an enquiry) are released to, or
    changed for, an account only when its address is proven (:mod:`jsg_privacy.requests.identity`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    email_key = models.CharField(_("e-mail key"), max_length=64, editable=False)
    proved_at = models.DateTimeField(_("proved"), default=timezone.now)
    how = models.CharField(_("how"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("proven e-mail address")
        verbose_name_plural = _("proven e-mail addresses")
        ordering = ["-proved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "email_key"], name="jsg_address_proof_unique")
        ]

    def __str__(self) -> str:
        return f"{_('Address proven by account')} {self.user_id}"
