"""The marketing tables as sources in the registry, so the notice, exports and erasure know them.

Their rows hold keyed hashes, not e-mail addresses or user ids, so they are found by computing the
subject's keys rather than by a path to a user or an e-mail field: they are declared as sources with
their own ``export()`` and ``erase()``, keyed by the model's label (which also tells the
undeclared-data check that the model is covered).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jsg_privacy.inventory import MARKETING, MARKETING_CONSENT, PARTNER_MARKETING, TESTIMONIALS
from jsg_privacy.marketing.models import MarketingConsent, Suppression
from jsg_privacy.registry import Delete, LegalHold, Period, Retention, Subject
from jsg_privacy.registry.keyed import KeyedTableSource, subject_keys

#: How long a choice is kept after it last changed: then it is asked for again (ICO guidance:
#: refresh consent rather than rely on it indefinitely).
CHOICE_RETENTION = Period(years=2)
#: How long an address stays on the suppression list after the person unsubscribed.
SUPPRESSION_HOLD = Period(years=10)
SUPPRESSION_REASON = _(
    "PECR and UK GDPR Art. 21(3): once you opt out we must never market to you again, so we keep a "
    "keyed hash of your e-mail address — nothing else — even after erasing your other data"
)


class MarketingConsentSource(KeyedTableSource):
    key = MarketingConsent._meta.label
    label = _("Your marketing choices")
    notice_labels = {
        "purpose": _("what you were asked about"),
        "medium": _("how we may contact you (e-mail, text message)"),
        "granted": _("your answer"),
        "pending": _("whether you still have to confirm it"),
        "channel": _("where you gave it"),
        "version": _("the wording you saw"),
        "updated_at": _("when"),
    }
    model = MarketingConsent
    fields = {
        MARKETING: ["purpose", "medium", "granted", "pending", "channel", "version", "updated_at"]
    }
    exported = ("purpose", "medium", "granted", "pending", "channel", "version", "updated_at")
    data_subjects = "customers and people who gave us their e-mail address"
    # The choices made in each box: the purposes of the optional boxes count only while they are on
    # (declared in the registry), even though no source holds testimonials of its own.
    purposes = (MARKETING_CONSENT, PARTNER_MARKETING, TESTIMONIALS)
    retention = Retention(
        anchor="updated_at",
        period=CHOICE_RETENTION,
        anchor_label=_("after you last made or changed the choice"),
        reason=_("Consent is refreshed rather than relied on indefinitely."),
    )
    erasure = Delete()

    def rows(self, subject: Subject) -> models.QuerySet:
        keys, email_keys = subject_keys(subject)
        found = models.Q(subject_key__in=keys)
        if email_keys:
            found |= models.Q(contact_key__in=email_keys)
        return MarketingConsent.objects.filter(found)

    def erase(self, subject: Subject) -> int:
        deleted, _ = self.rows(subject).delete()
        return deleted


class SuppressionSource(KeyedTableSource):
    key = Suppression._meta.label
    label = _("Marketing suppression list")
    notice_labels = {
        "key": _("a coded form of your e-mail address or phone number"),
        "medium": _("which messages you stopped"),
        "channel": _("where you stopped them"),
        "created_at": _("when"),
    }
    model = Suppression
    fields = {MARKETING: ["key", "medium", "channel", "created_at"]}
    exported = ("medium", "channel", "created_at")
    data_subjects = "people who unsubscribed from our marketing"
    retention = Retention(
        anchor="created_at",
        period=SUPPRESSION_HOLD,
        anchor_label=_("after you unsubscribed"),
        reason=SUPPRESSION_REASON,
    )
    erasure = LegalHold(
        anchor="created_at",
        period=SUPPRESSION_HOLD,
        reason=SUPPRESSION_REASON,
        then=Delete(),
        anchor_label=_("after you unsubscribed"),
    )

    def rows(self, subject: Subject) -> models.QuerySet:
        _keys, email_keys = subject_keys(subject)
        return Suppression.objects.filter(key__in=email_keys)

    def erase(self, subject: Subject) -> int:
        """Erasure keeps the entries (the legal hold above): erasing them would re-open marketing."""
        return 0


SOURCES = (MarketingConsentSource, SuppressionSource)
