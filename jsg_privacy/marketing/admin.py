"""Read-only admin for the marketing state and the suppression list: staff look, never edit.

Django's admin autodiscovery imports ``jsg_privacy/admin.py`` only, which imports this module.
A change of someone's choice goes through :func:`jsg_privacy.marketing.api.record_choices` with
channel ``staff``, so the ledger records it.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from jsg_privacy.admin import ReadOnlyAdmin
from jsg_privacy.crypto import subjects
from jsg_privacy.marketing.models import MarketingConsent, Suppression


class KeyedSearchMixin:
    """Search by e-mail address: the term is hashed the same way, so no address is stored."""

    key_fields: tuple[str, ...] = ()

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        key = subjects.for_email(term) if "@" in term else term.lower()
        found = Q()
        for name in self.key_fields:
            found |= Q(**{name: key})
        return queryset.filter(found), False


@admin.register(MarketingConsent)
class MarketingConsentAdmin(KeyedSearchMixin, ReadOnlyAdmin):
    list_display = ["short_key", "purpose", "medium", "granted", "pending", "channel", "updated_at"]
    list_filter = ["purpose", "medium", "granted", "pending", "channel"]
    search_fields = ["subject_key"]  # shows the search box; see KeyedSearchMixin
    search_help_text = "An e-mail address, or a subject key."
    key_fields = ("subject_key", "contact_key")
    date_hierarchy = "updated_at"

    @admin.display(description="subject key")
    def short_key(self, obj: MarketingConsent) -> str:
        return obj.subject_key[:12] + "…"


@admin.register(Suppression)
class SuppressionAdmin(KeyedSearchMixin, ReadOnlyAdmin):
    list_display = ["short_key", "medium", "channel", "created_at"]
    list_filter = ["medium", "channel"]
    search_fields = ["key"]
    search_help_text = "An e-mail address, or an e-mail key."
    key_fields = ("key",)
    date_hierarchy = "created_at"

    @admin.display(description="e-mail key")
    def short_key(self, obj: Suppression) -> str:
        return obj.key[:12] + "…"
