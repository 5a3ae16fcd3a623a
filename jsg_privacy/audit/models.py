from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError(f"{self._meta.verbose_name_plural} are append-only.")
        super().save(*args, **kwargs)

    def delete(
        self, *args: Any, **kwargs: Any
    ) -> NoReturn:  # retention deletes through the queryset
        raise PermissionError(f"{self._meta.verbose_name_plural} are append-only.")


class StaffAccess(AppendOnly):
    """A staff member viewed or exported a customer's personal data: who, whose, when, what.

    A list page, a search or an admin action shows many people's rows: it writes one entry per
    person shown, all with the same ``at``, each naming that person's rows in ``object_id``.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")
        CHANGE = "change", _("changed")
        LIST = "list", _("listed")
        SEARCH = "search", _("found by a search")
        ACTION = "action", _("selected for an action")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("what"), max_length=8, choices=Action.choices)
    #: Keyed hash of the customer (user or e-mail): whose data, without copying it here.
    subject_key = models.CharField(_("whose (subject key)"), max_length=64, db_index=True)
    model = models.CharField(_("record type"), max_length=100)
    #: The record's id; for a list page, search or action, the ids of the person's rows shown.
    object_id = models.CharField(_("record id"), max_length=255, blank=True)
    fields = models.TextField(_("fields shown or exported"), blank=True)
    #: Where: "list, page 2", "search by e-mail address", "action: …", "erasure plan". Never the
    #: search term itself, nor any value shown.
    context = models.CharField(_("where"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("staff access")
        verbose_name_plural = _("staff access log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model}"


class ErasureRecord(AppendOnly):
    """An erasure, kept so that it can be re-applied after a database is restored from a backup."""

    erased_at = models.DateTimeField(_("erased"), default=timezone.now, db_index=True)
    #: The erased account's id (not a foreign key: the account is gone).
    user_id = models.BigIntegerField(_("account id"), null=True, blank=True)
    #: Keyed hash of the e-mail address: enough to find the rows again, not to read the address.
    email_key = models.CharField(_("e-mail key"), max_length=64, blank=True)
    case_reference = models.CharField(_("request"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        ordering = ["erased_at", "pk"]

    def __str__(self) -> str:
        return f"{self.erased_at:%Y-%m-%d} {self.case_reference or 'erasure'}"
