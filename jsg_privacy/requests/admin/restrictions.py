"""Restrictions of processing, read-only; lifting one needs the subject told first."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsg_privacy.crypto import subjects
from jsg_privacy.flows.models import Restriction
from jsg_privacy.requests import cases, restriction
from jsg_privacy.requests.admin.forms import ReasonForm
from jsg_privacy.requests.admin.notices import RestrictionNoticeInline
from jsg_privacy.requests.admin.pages import FormSteps


@admin.register(Restriction)
class RestrictionAdmin(FormSteps, admin.ModelAdmin):
    """Restrictions are read-only; lifting one needs the subject told first (Art. 18(3))."""

    list_display = ["__str__", "case", "created_at", "lift_notified_at", "lifted_at"]
    list_filter = [("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["case__reference"]
    search_help_text = gettext_lazy("A request's reference, or an exact e-mail address.")
    fields = [
        "case",
        "user",
        "reason",
        "created_at",
        "lift_notified_at",
        "lifted_at",
        "lift_reason",
    ]
    readonly_fields = flatten(fields)
    inlines = [RestrictionNoticeInline]
    actions = ["tell_before_lifting", "lift_restriction"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """A reference, or an exact address (by keyed hash: addresses are never stored in clear)."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if "@" in term:
            by_address = Q(email_key=subjects.for_email(term)) | Q(case__email_digest__matches=term)
            found = found | queryset.filter(by_address)
        return found, duplicates

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(
        description=gettext_lazy("Tell the subject it will be lifted"), permissions=["change"]
    )
    def tell_before_lifting(self, request: HttpRequest, queryset: QuerySet) -> None:
        for item in queryset.filter(lifted_at__isnull=True):
            try:
                restriction.notify_before_lifting(item, actor=request.user)
            except cases.CaseError as exc:
                messages.error(request, f"{item}: {exc}")
            else:
                messages.success(request, _("%(item)s: the subject was told.") % {"item": item})

    @admin.action(
        description=gettext_lazy("Lift (after the subject was told)"), permissions=["change"]
    )
    def lift_restriction(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self.to_step(request, queryset, "lift", _("Select exactly one restriction to lift."))

    def get_urls(self) -> list[Any]:
        return [*self.step_urls(lift=self.lift_view), *super().get_urls()]

    def lift_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def run(item: Any, data: dict[str, Any]) -> str:
            restriction.lift(item, reason=data["reason"], actor=request.user)
            return _("%(item)s lifted.") % {"item": item}

        return self.step_page(
            request,
            object_id,
            ReasonForm,
            run,
            title=lambda item: _("Lift %(item)s") % {"item": item},
            intro=_("Only after the subject has been told it will be lifted."),
        )
