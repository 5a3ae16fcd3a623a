from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One run of ``privacy_enforce_retention``: when, what per source, and any error."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")
        FAILED = "failed", _("failed (the next run resumes)")

    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RUNNING
    )
    #: Per source key: {"due": n, "deleted": n, "anonymised": n, "held": n, "oldest": iso date}.
    counts = models.JSONField(_("counts per source"), default=dict, blank=True)
    errors = models.TextField(_("errors"), blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-pk"]
        permissions = [("run_retention", _("Can run retention now from the admin"))]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class RetentionWarning(models.Model):
    """An inactive account holder was e-mailed that their account will be deleted.

    Retention deletes an account only once it has been warned :data:`WARNING_DAYS
    <jsg_privacy.retention.warnings.WARNING_DAYS>` days earlier, after the account's last activity
    (its rule's anchor): an account already past due when retention is first run is warned first,
    and deleted a warning period later. Only the source key and the account's primary key are kept.
    """

    source = models.CharField(_("source"), max_length=200)
    object_pk = models.CharField(_("account key"), max_length=64)
    warned_at = models.DateTimeField(_("warned"), default=timezone.now)
    deletion_on = models.DateField(_("deletion announced for"))

    class Meta:
        verbose_name = _("retention warning")
        verbose_name_plural = _("retention warnings")
        ordering = ["-warned_at", "-pk"]
        indexes = [
            models.Index(
                fields=["source", "object_pk", "warned_at"], name="jsg_privacy_warning_lookup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_pk} warned {self.warned_at:%Y-%m-%d}"
