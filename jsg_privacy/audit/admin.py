"""The staff access log and the erasure records in the admin: read-only, like every ledger.

Imported at the end of ``jsg_privacy/admin.py`` (Django's autodiscovery imports only that module).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jsg_privacy.admin import ReadOnlyAdmin
from jsg_privacy.audit.models import ErasureRecord, StaffAccess
from jsg_privacy.crypto import subjects


class StaffAccessAdmin(ReadOnlyAdmin):
    """Who looked at or exported whose data. Search by the customer's e-mail address or account id."""

    list_display = [
        "at",
        "staff",
        "action",
        "model",
        "object_id",
        "short_subject",
        "fields",
        "context",
    ]
    list_filter = ["action", "model"]
    list_select_related = ["staff"]
    search_fields = ["=subject_key"]
    date_hierarchy = "at"
    fields = ["at", "staff", "action", "subject_key", "model", "object_id", "fields", "context"]
    show_full_result_count = False

    @admin.display(description=_("whose"))
    def short_subject(self, obj: StaffAccess) -> str:
        return obj.subject_key[:12]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """An e-mail address or an account id finds that customer's rows through their key."""
        term = search_term.strip()
        if "@" in term:
            return queryset.filter(subject_key=subjects.for_email(term)), False
        if term.isdigit():
            return queryset.filter(subject_key=subjects.for_user(term)), False
        return super().get_search_results(request, queryset, term)


class ErasureRecordAdmin(ReadOnlyAdmin):
    list_display = ["erased_at", "case_reference", "user_id"]
    search_fields = ["=case_reference"]
    date_hierarchy = "erased_at"
    fields = ["erased_at", "case_reference", "user_id", "email_key"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, Any]:
        term = search_term.strip()
        if "@" in term:
            return queryset.filter(email_key=subjects.for_email(term)), False
        if term.isdigit():
            return queryset.filter(user_id=int(term)), False
        return super().get_search_results(request, queryset, term)


for _model, _admin in ((StaffAccess, StaffAccessAdmin), (ErasureRecord, ErasureRecordAdmin)):
    if not admin.site.is_registered(_model):
        admin.site.register(_model, _admin)
