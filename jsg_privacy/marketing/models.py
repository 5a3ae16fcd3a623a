"""The current marketing choices and the suppression list. Both hold keyed hashes, never addresses.

The consent ledger proves every choice; :class:`MarketingConsent` is the current state derived from
it (updated in the same transaction as each ledger record), so "may I e-mail this person?" is one
indexed query. :class:`Suppression` remembers who must not be contacted again: it outlives erasure.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MarketingConsent(models.Model):
    """One subject's current choice for one purpose and medium.

    ``subject_key`` is the user's key for a signed-in customer and the e-mail key for a guest;
    ``contact_key`` is always the key of the e-mail address given with the choice, so an unsubscribe
    link (which carries only the e-mail key) finds a customer's choices too.
    """

    subject_key = models.CharField(_("subject key"), max_length=64)
    contact_key = models.CharField(_("e-mail key"), max_length=64, blank=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=64)
    #: email, sms, phone or post for the "marketing" purpose; empty for the other purposes.
    medium = models.CharField(_("medium"), max_length=16, blank=True)
    granted = models.BooleanField(_("granted"), default=False)
    #: Ticked, but waiting for the e-mailed confirmation link (double opt-in); not consent yet.
    pending = models.BooleanField(_("awaiting confirmation"), default=False)
    #: Version hash of the wording the subject last saw when choosing.
    version = models.CharField(_("text version"), max_length=64, blank=True)
    #: Where the choice was last made (a :class:`~jsg_privacy.consent.models.Channel` value).
    channel = models.CharField(_("channel"), max_length=16)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("marketing choice")
        verbose_name_plural = _("marketing choices")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_key", "purpose", "medium"],
                name="jsg_marketing_consent_unique",
            )
        ]

    def __str__(self) -> str:
        state = _("granted") if self.granted else _("pending") if self.pending else _("not granted")
        medium = f" ({self.medium})" if self.medium else ""
        return f"{self.purpose}{medium}: {state}"


class Suppression(models.Model):
    """Never send marketing by ``medium`` to the e-mail address whose keyed hash is ``key``.

    Kept after the subject's other data is erased (that is its point); lifted only by a later
    explicit opt-in for the same medium, which the ledger records.
    """

    key = models.CharField(_("e-mail key"), max_length=64)
    medium = models.CharField(_("medium"), max_length=16)
    #: How it got here (a :class:`~jsg_privacy.consent.models.Channel` value).
    channel = models.CharField(_("channel"), max_length=16)
    created_at = models.DateTimeField(_("suppressed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("suppression list entry")
        verbose_name_plural = _("suppression list")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "medium"], name="jsg_marketing_suppression_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key[:12]}… ({self.medium})"
