from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeVersion(models.Model):
    """One published text of the privacy notice, identified by the hash of its content.

    A version is recorded the first time its content is served, so the consent ledger and the
    data-subject export can cite the exact notice a person saw.
    """

    digest = models.CharField(_("content hash"), max_length=64, editable=False)
    language = models.CharField(_("language"), max_length=15, editable=False)
    content = models.JSONField(_("content"), editable=False)
    published_at = models.DateTimeField(_("first published"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("privacy notice version")
        verbose_name_plural = _("privacy notice versions")
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "language"], name="jsg_privacy_notice_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.short_digest} ({self.language}, {self.published_at:%Y-%m-%d})"

    @property
    def short_digest(self) -> str:
        return self.digest[:12]


# Models of the sub-packages belong to this app; import them so Django registers them.
from jsg_privacy.audit.models import ErasureRecord, StaffAccess  # noqa: E402, F401
from jsg_privacy.consent.models import ConsentRecord, UndeclaredCookie  # noqa: E402, F401
from jsg_privacy.flows.models import Objection, Restriction  # noqa: E402, F401
from jsg_privacy.marketing.models import MarketingConsent, Suppression  # noqa: E402, F401
from jsg_privacy.payments.models import Disclosure, Payment, WebhookEvent  # noqa: E402, F401
from jsg_privacy.requests.models import (  # noqa: E402, F401
    Case,
    CaseEvent,
    Clarification,
    Complaint,
    ExportFile,
    Letter,
)
from jsg_privacy.requests.notices import RecipientNotice  # noqa: E402, F401
from jsg_privacy.retention.models import RetentionRun, RetentionWarning  # noqa: E402, F401
from jsg_privacy.usage.models import UsageEvent  # noqa: E402, F401

__all__ = ["ConsentRecord", "NoticeVersion"]
