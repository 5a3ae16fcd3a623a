"""What the request and complaint admins share: read-only cases acted on through steps, an add form
for what staff received by phone, letter or e-mail, and the deadline column."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from jsg_privacy.crypto.admin import KeyedHashSearchMixin
from jsg_privacy.requests.admin.steps import CaseSteps
from jsg_privacy.requests.models import Case


class CaseAdminBase(KeyedHashSearchMixin, CaseSteps, admin.ModelAdmin):
    """Set ``log_form`` (the add form), ``log_description`` and ``change_fieldsets``."""

    log_form: Any = None
    log_description: Any = ""
    change_fieldsets: list[tuple[Any, dict[str, Any]]] = []
    search_fields = ["reference"]
    search_help_text = gettext_lazy("A reference or an e-mail address.")
    date_hierarchy = "received_at"
    raw_id_fields = ["user"]
    change_form_template = "admin/jsg_privacy/case/change_form.html"

    @admin.display(
        description=gettext_lazy("deadline"), ordering=Coalesce("extended_until", "due_on")
    )
    def deadline(self, obj: Case) -> Any:
        return obj.deadline

    # -- a case is never edited or deleted, only acted on --

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = self.log_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            fields = self.log_form.Meta.fields
            return [(None, {"fields": fields, "description": self.log_description})]
        return self.change_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return [name for _title, options in self.change_fieldsets for name in options["fields"]]

    @staticmethod
    def adopt(obj: Case, case: Case) -> None:
        """Make the admin's unsaved ``obj`` the case a flow created (the admin logs and
        redirects to ``obj``)."""
        for field in Case._meta.concrete_fields:
            setattr(obj, field.attname, getattr(case, field.attname))
        obj._state.adding, obj._state.db = False, case._state.db
