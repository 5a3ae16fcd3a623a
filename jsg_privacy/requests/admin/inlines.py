"""What a case shows besides its fields, read-only: its audit trail, exports, restrictions,
objections; and the overdue filter of the list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import flatten
from django.contrib.auth import get_permission_codename
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsg_privacy.flows.models import Objection, Restriction
from jsg_privacy.requests.models import Case, CaseEvent, Clarification, ExportFile, Kind


class CaseInline(admin.TabularInline):
    """Rows of a case shown on it: seen by whoever may see the case, never added or changed."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return flatten(self.fields or [])

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        opts = Case._meta
        return any(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(a, opts)}")
            for a in ("view", "change")
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseEventInline(CaseInline):
    model = CaseEvent
    fields = ["at", "actor", "action", "detail"]
    verbose_name_plural = gettext_lazy("audit trail (who did what, and when)")


class ClarificationInline(CaseInline):
    model = Clarification
    fields = ["asked_at", "question", "answered_at", "answered_how", "answer", "days_paused"]
    verbose_name_plural = gettext_lazy("requests for clarification (the clock paused, Art. 12A)")


class ExportFileInline(CaseInline):
    model = ExportFile
    fields = ["created_at", "size", "expires_at", "downloaded_at", "deleted_at"]


class RestrictionInline(CaseInline):
    model = Restriction
    fields = ["created_at", "reason", "lift_notified_at", "lifted_at", "lift_reason"]


class ObjectionInline(CaseInline):
    model = Objection
    fields = ["purpose", "grounds", "recorded_at", "upheld", "decision_reason", "decided_at"]


INLINES_BY_KIND: dict[str, list[type[CaseInline]]] = {
    Kind.ACCESS: [ExportFileInline],
    Kind.PORTABILITY: [ExportFileInline],
    Kind.RESTRICTION: [RestrictionInline],
    Kind.OBJECTION: [ObjectionInline, RestrictionInline],
}


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("deadline")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(pk__in=Case.objects.overdue().values("pk"))
        if self.value() == "no":
            return queryset.exclude(pk__in=Case.objects.overdue().values("pk"))
        return queryset
