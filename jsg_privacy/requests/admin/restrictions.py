"""Restrictions of processing, read-only; lifting one needs the subject told first."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsg_privacy.consent import subjects
from jsg_privacy.requests import cases, restriction
from jsg_privacy.requests.admin.forms import ReasonForm
from jsg_privacy.requests.limits import Restriction


@admin.register(Restriction)
class RestrictionAdmin(admin.ModelAdmin):
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
    readonly_fields = fields
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
        if queryset.count() != 1:
            messages.warning(request, _("Select exactly one restriction to lift."))
            return None
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(
            reverse("admin:{}_{}_lift".format(*info), args=[queryset.get().pk])
        )

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.lift_view)
        return [
            path("<path:object_id>/lift/", view, name="{}_{}_lift".format(*info)),
            *super().get_urls(),
        ]

    def lift_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        item = self.get_object(request, object_id)
        if item is None:
            raise Http404
        form = ReasonForm(request.POST or None)
        back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        if request.method == "POST" and form.is_valid():
            try:
                restriction.lift(item, reason=form.cleaned_data["reason"], actor=request.user)
            except cases.CaseError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(item)s lifted.") % {"item": item})
                return HttpResponseRedirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": item,
            "form": form,
            "title": _("Lift %(item)s") % {"item": item},
            "intro": _("Only after the subject has been told it will be lifted."),
        }
        return TemplateResponse(request, "admin/jsg_privacy/case/step.html", context)
