"""The Art. 19 notices of a request: one :class:`RecipientNotice` per recipient told.

A notice is recorded (pending) in the same transaction as the erasure, correction or restriction
that calls for it, with what its notifier will need — the subject's address and the ids it
collected before the change, encrypted — and sent once that transaction has committed. It is
retried until it is sent; then the address and the ids are cleared. Staff see the notices on the
request (and on the restriction); the request waits for recipients until every notice is sent.
"""

from __future__ import annotations

import json
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jsg_privacy.crypto.fields import EncryptedEmailField, EncryptedTextField
from jsg_privacy.flows.models import Restriction
from jsg_privacy.notifiers.base import Event
from jsg_privacy.registry import Recipient, registry
from jsg_privacy.requests.models import Case


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed (retried later)")


class RecipientNoticeQuerySet(models.QuerySet):
    def unsent(self) -> RecipientNoticeQuerySet:
        return self.exclude(status=NoticeStatus.SENT)

    def due(self, now: object = None) -> RecipientNoticeQuerySet:
        """Unsent notices whose next attempt is due."""
        now = now or timezone.now()
        return self.unsent().filter(
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
        )


class RecipientNotice(models.Model):
    """One recipient told (or to be told) of an erasure, a correction or a restriction."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recipient_notices",
    )
    restriction = models.ForeignKey(
        Restriction,
        verbose_name=_("restriction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recipient_notices",
    )
    #: The recipient's key in the registry (``Recipient.key``).
    recipient = models.CharField(_("recipient"), max_length=64)
    event = models.CharField(
        _("told of"), max_length=16, choices=[(e.value, e.label) for e in Event]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    #: What the notifier did ("e-mailed privacy@host.example"); never personal data.
    result = models.CharField(_("result"), max_length=255, blank=True)
    #: Why the last attempt failed ("the mail server did not answer in time").
    error = models.CharField(_("last error"), max_length=255, blank=True)
    #: For a correction: the names of the fields corrected.
    fields = models.JSONField(_("fields corrected"), default=list, blank=True)
    #: The subject's keyed hash (the disclosure log's), for notifiers that log what they send.
    subject_key = models.CharField(max_length=64, blank=True, editable=False)
    #: Until sent: the subject's address, to name them to the recipient.
    email = EncryptedEmailField(_("subject's e-mail address"), blank=True, editable=False)
    #: Until sent: what the notifier collected before the change (JSON list of ids).
    references = EncryptedTextField(blank=True, editable=False)

    objects: ClassVar[RecipientNoticeQuerySet] = RecipientNoticeQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("recipient notice (Art. 19)")
        verbose_name_plural = _("recipient notices (Art. 19)")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="jsg_notice_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name}: {self.get_event_display()}"

    @property
    def declared(self) -> Recipient | None:
        return registry.recipients.get(self.recipient)

    @property
    def recipient_name(self) -> str:
        declared = self.declared
        return str(declared.name) if declared is not None else self.recipient

    def reference_list(self) -> tuple[str, ...]:
        if not self.references:
            return ()
        return tuple(str(item) for item in json.loads(self.references))
