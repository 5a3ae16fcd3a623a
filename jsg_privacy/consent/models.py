"""The consent ledger: an append-only, keyed hash chain of every consent event.

Records written before the keyed chain (migration 0014) form the unkeyed *legacy* chain: each
``hash`` is SHA-256 of the previous hash and the record, ``lane``, ``position`` and ``key_id`` are
NULL. Every later record belongs to a *lane* (0-7: concurrent writers append to different lanes, so
they never wait for each other's commit), has a gapless ``position`` in it, and its ``hash`` is an
HMAC-SHA256 with the ledger key named by ``key_id`` (:mod:`jsg_privacy.crypto.ledger_keys`) over its
id, lane, position, key id, previous hash and content. A lane's first record follows
:func:`lane_genesis`, which binds the legacy chain's last hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NoReturn

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64
CANONICAL_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def lane_genesis(lane: int, legacy_head: str) -> str:
    """The "previous hash" of a lane's first record: it binds the unkeyed records before the keyed
    chain (their last hash, or :data:`GENESIS`), and differs per lane (``prev_hash`` is unique)."""
    return hashlib.sha256(f"jsg_privacy.ledger:{legacy_head}:lane:{lane}".encode()).hexdigest()


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
    #: An objection to storage under a Sch. A1 exception (statistical, appearance): it is off now.
    OBJECTED = "objected", _("objected (storage without consent)")


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
    REQUEST = "request", _("data-subject request")
    NOTICE = "notice", _("privacy notice")
    STOREFRONT = "storefront", _("headless storefront")


class Chained:
    """What makes a ledger record part of the chain: its canonical content and its hashes.

    Shared by :class:`ConsentRecord` and the plain rows :mod:`jsg_privacy.consent.chain` verifies
    (read without building model instances)."""

    # For type checkers only (the model's fields, or the row's slots); Any so a field overrides it.
    id: Any
    created_at: Any
    prev_hash: Any
    hash: Any
    lane: Any
    position: Any
    key_id: Any

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
        return CANONICAL_JSON.encode(payload)

    @property
    def keyed(self) -> bool:
        return self.lane is not None

    def compute_hash(self) -> str:
        """An unkeyed (legacy) record's hash: SHA-256 of the previous hash and :meth:`canonical`."""
        return hashlib.sha256((self.prev_hash + self.canonical()).encode()).hexdigest()

    def signed_message(self) -> bytes:
        """What a keyed record's ``hash`` signs: its id, place in the chain, key id, previous hash
        and content. The id is in it, so rows cannot swap ids (the ledger is read in id order)."""
        return (
            f"{self.id}|{self.lane}|{self.position}|{self.key_id}|{self.prev_hash}|"
            f"{self.canonical()}"
        ).encode()


class ConsentRecordQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Consent records are append-only: they cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Consent records are append-only: they cannot be deleted.")


class ConsentRecord(Chained, models.Model):
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
    #: The chain this record is in (NULL: written before the keyed chain).
    lane = models.PositiveSmallIntegerField(_("lane"), null=True, editable=False)
    #: 1, 2, 3... within the lane, without gaps.
    position = models.PositiveBigIntegerField(_("position in lane"), null=True, editable=False)
    #: Which ledger key signed ``hash``. NULL, not "": the record predates the keyed chain.
    key_id = models.CharField(_("key id"), max_length=16, null=True, editable=False)  # noqa: DJ001

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent ledger")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["subject_key", "purpose", "id"], name="jsg_consent_subject_idx"),
            # The newest unkeyed record, which lane geneses bind: found without a scan.
            models.Index(
                fields=["id"], condition=Q(lane__isnull=True), name="jsg_consent_legacy_idx"
            ),
        ]
        constraints = [
            # Partial (only keyed records), so SQLite adds it as an index and keeps its triggers.
            models.UniqueConstraint(
                fields=["lane", "position"],
                condition=Q(lane__isnull=False),
                name="jsg_consent_lane_position",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.purpose} {self.action} ({self.channel})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Consent records are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Consent records are append-only: they cannot be deleted.")


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
