"""The consent ledger: an append-only hash chain of every consent event."""

from __future__ import annotations

import hashlib
import json
from typing import Any, ClassVar, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AppendOnlyError(Exception):
    """Ledger records are never changed or deleted."""


class Action(models.TextChoices):
    GIVEN = "given", _("consent given")
    REFUSED = "refused", _("consent refused")
    WITHDRAWN = "withdrawn", _("consent withdrawn")
    SIGNAL = "signal", _("opt-out signal honoured (GPC)")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
    ACKNOWLEDGED = "acknowledged", _("notice acknowledged")
    LINKED = "linked", _("visitor linked to account")


class Channel(models.TextChoices):
    BANNER = "banner", _("cookie banner")
    CHECKOUT = "checkout", _("checkout")
    SIGNUP = "signup", _("sign-up")
    PREFERENCES = "preferences", _("preferences page")
    UNSUBSCRIBE = "unsubscribe", _("unsubscribe link")
    GPC = "gpc", _("Global Privacy Control")
    STAFF = "staff", _("staff")
    API = "api", _("API")
    LOGIN = "login", _("log-in")
    DOUBLE_OPT_IN = "double_opt_in", _("confirmation e-mail")


class ConsentRecordQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Consent records are append-only: they cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Consent records are append-only: they cannot be deleted.")


class ConsentRecord(models.Model):
    """One consent event. Append with :func:`jsg_privacy.consent.ledger.append`, never directly.

    No raw IP address, user agent or e-mail: the subject is a keyed hash. Purposes are stored by key,
    not as foreign keys, so records survive the deletion of a cookie group.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    subject_key = models.CharField(_("subject key"), max_length=64, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=64, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    #: For marketing: email, sms, phone, post or third_party; empty for cookie groups.
    medium = models.CharField(_("medium"), max_length=16, blank=True)
    #: Version hash of the consent text (and cookies) the person was shown.
    version = models.CharField(_("text version"), max_length=64, blank=True)
    #: The privacy notice version (its content hash) in force at the time.
    notice_version = models.CharField(_("notice version"), max_length=64, blank=True)
    #: For "linked": the anonymous visitor key now linked to ``subject_key``.
    linked_key = models.CharField(_("linked key"), max_length=64, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, unique=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects: ClassVar[ConsentRecordQuerySet] = ConsentRecordQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent ledger")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["subject_key", "purpose", "id"], name="jsg_consent_subject_idx")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.purpose} {self.action} ({self.channel})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Consent records are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Consent records are append-only: they cannot be deleted.")

    HASHED_FIELDS = (
        "created_at",
        "subject_key",
        "purpose",
        "action",
        "channel",
        "medium",
        "version",
        "notice_version",
        "linked_key",
    )

    def canonical(self) -> str:
        """This record's fields as canonical ASCII JSON (the previous hash is not included)."""
        payload = {name: getattr(self, name) for name in self.HASHED_FIELDS}
        payload["created_at"] = self.created_at.isoformat(timespec="microseconds")
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    def compute_hash(self) -> str:
        """SHA-256 of the previous hash followed by :meth:`canonical` (the database function
        ``jsg_privacy_ledger_append`` computes the same on PostgreSQL)."""
        return hashlib.sha256((self.prev_hash + self.canonical()).encode()).hexdigest()


class UndeclaredCookie(models.Model):
    """A cookie name the shop set (``Set-Cookie``) that no declaration covers, seen at run time.

    Recorded by :mod:`jsg_privacy.consent.sightings`: the name and where it was first seen, never a
    cookie's value. Declaring the cookie (``registry.add(Cookie(...))``) resolves it; the row stays
    as history and the admin shows it as declared.
    """

    name = models.CharField(_("cookie name"), max_length=255, unique=True, editable=False)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now, editable=False)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now, editable=False)
    #: The first page it was seen on: the path only, never the query string.
    path = models.CharField(_("first seen on"), max_length=255, blank=True, editable=False)
    #: The view that served that page (the cookie may have been set by a middleware around it).
    view = models.CharField(_("view"), max_length=255, blank=True, editable=False)
    seen_count = models.PositiveBigIntegerField(_("times seen"), default=1, editable=False)

    class Meta:
        verbose_name = _("undeclared cookie")
        verbose_name_plural = _("undeclared cookies")
        ordering = ["-last_seen", "name"]

    def __str__(self) -> str:
        return self.name
