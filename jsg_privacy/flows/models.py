"""Limits a subject puts on processing: a :class:`Restriction` (Art. 18) and an :class:`Objection`
(Art. 21) awaiting a staff decision. An objection to direct marketing needs no model: it is the
suppression list, at once (see :mod:`jsg_privacy.flows.object`).

They belong to the flows layer so that marketing, retention and payments can ask whether a subject
is restricted without importing the requests layer; a restriction names the request it came from
by the model label ``jsg_privacy.Case``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jsg_privacy.crypto.fields import EncryptedTextField


class RestrictionQuerySet(models.QuerySet):
    def active(self) -> RestrictionQuerySet:
        return self.filter(lifted_at__isnull=True)


class Restriction(models.Model):
    """Processing of a subject's data is restricted (Art. 18): it may be stored, nothing more.

    The subject is the account (``user``) or the keyed hash of an e-mail address (``email_key``,
    :func:`jsg_privacy.crypto.subjects.for_email`), or both; the address itself is not stored.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # covered by the (user, lifted_at) index
    )
    email_key = models.CharField(_("e-mail key"), max_length=64, blank=True, editable=False)
    reason = EncryptedTextField(_("why processing is restricted"))
    case = models.ForeignKey(
        "jsg_privacy.Case",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="restrictions",
    )
    created_at = models.DateTimeField(_("restricted"), default=timezone.now)
    lift_notified_at = models.DateTimeField(
        _("subject told it will be lifted"), null=True, blank=True
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_reason = EncryptedTextField(_("why it was lifted"), blank=True)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # is_restricted() is one query: (user = ? OR email_key = ?) AND lifted_at IS NULL.
            models.Index(fields=["user", "lifted_at"], name="jsg_restriction_user_idx"),
            models.Index(fields=["email_key", "lifted_at"], name="jsg_restriction_email_idx"),
        ]

    def __str__(self) -> str:
        state = _("lifted") if self.lifted_at else _("active")
        return f"{_('Restriction')} #{self.pk} ({state})"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class Objection(models.Model):
    """An objection to processing other than direct marketing, for staff to decide (Art. 21(1)).

    Processing for ``purpose`` continues only if staff show compelling legitimate grounds that
    override the subject's, or it is needed for legal claims; the decision and its reason are kept.
    """

    case = models.ForeignKey(
        "jsg_privacy.Case",
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    purpose = models.CharField(_("purpose objected to"), max_length=64)
    grounds = EncryptedTextField(_("the subject's grounds"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    decision_reason = EncryptedTextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)  # by: the audit trail

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.purpose}"

    @property
    def decided(self) -> bool:
        return self.decided_at is not None
