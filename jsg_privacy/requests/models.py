"""A data-subject request is a :class:`Case`; everything done on it is a :class:`CaseEvent`."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ACCESS = "access", _("access (a copy of my data)")
    PORTABILITY = "portability", _("portability (my data, machine-readable)")
    RECTIFICATION = "rectification", _("rectification (correct my data)")
    ERASURE = "erasure", _("erasure (delete my data)")
    RESTRICTION = "restriction", _("restriction (limit what you do with my data)")
    OBJECTION = "objection", _("objection (stop a use of my data)")


class Status(models.TextChoices):
    UNVERIFIED = "unverified", _("awaiting identity check")
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("failed (can be retried)")


class Channel(models.TextChoices):
    ACCOUNT = "account", _("account page")
    WEB_FORM = "web_form", _("public request form")
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("telephone")
    LETTER = "letter", _("letter")
    SALEOR = "saleor", _("Saleor")
    STAFF = "staff", _("staff, from the admin")


OPEN_STATUSES = (Status.UNVERIFIED, Status.OPEN, Status.IN_PROGRESS, Status.FAILED)


class CaseQuerySet(models.QuerySet):
    def still_open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None) -> CaseQuerySet:
        today = today or timezone.localdate()
        return self.still_open().filter(
            models.Q(extended_until__isnull=True, due_on__lt=today)
            | models.Q(extended_until__lt=today)
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
    email = models.EmailField(_("requester's e-mail address"))
    details = models.TextField(_("what was asked"), blank=True, max_length=5000)
    identity_check = models.CharField(_("how identity was checked"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    verified_at = models.DateTimeField(_("identity confirmed"), null=True, blank=True)
    due_on = models.DateField(_("due (one month, Art. 12(3))"))
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    failure_reason = models.TextField(_("why it failed"), blank=True)
    #: One-time identity link: the nonce it carries; cleared once used.
    verification_nonce = models.CharField(max_length=32, blank=True, editable=False)

    objects: ClassVar[CaseQuerySet] = CaseQuerySet.as_manager()  # type: ignore[assignment]

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
        return self.status in OPEN_STATUSES and self.deadline < timezone.localdate()


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit trail of a request is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The audit trail of a request is append-only.")


class CaseEvent(models.Model):
    """Who did what to a case, and when. Names fields, never their values."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=120)
    detail = models.TextField(blank=True)

    objects: ClassVar[CaseEventQuerySet] = CaseEventQuerySet.as_manager()  # type: ignore[assignment]

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


class ExportFile(models.Model):
    """A subject's export, kept only until ``expires_at``; then the file is deleted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exports")
    name = models.CharField(_("stored file"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("link expires"))
    downloaded_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case.reference} export"

    @property
    def available(self) -> bool:
        return self.deleted_at is None and self.expires_at > timezone.now()
