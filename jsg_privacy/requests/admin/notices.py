"""Art. 19 notices, read-only: what each recipient was told, when, and why one is not sent yet.

Staff can send the unsent ones again at once (**Retry now**), or record that they told a recipient
another way (**Record: told another way…**, e.g. through the recipient's own portal), which counts
as sent. A request waits for recipients until all its notices are sent.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsg_privacy.registry import registry
from jsg_privacy.requests import recipients
from jsg_privacy.requests.admin.inlines import CaseInline
from jsg_privacy.requests.admin.pages import FormSteps
from jsg_privacy.requests.notices import NoticeStatus, RecipientNotice

SHOWN = (
    "recipient_name",
    "event",
    "status",
    "attempts",
    "last_attempt_at",
    "next_attempt_at",
    "sent_at",
    "result",
    "error",
)


class RecipientNoticeInline(CaseInline):
    """On a request (and a restriction): each recipient to be told, and how it went."""

    model = RecipientNotice
    fields = SHOWN


class RestrictionNoticeInline(RecipientNoticeInline):
    fk_name = "restriction"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin.TabularInline.has_view_permission(self, request, obj)


class ToldForm(forms.Form):
    how = forms.CharField(
        label=gettext_lazy("how the recipient was told"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("e.g. “erasure requested through their privacy portal”."),
    )


def retry(request: HttpRequest, queryset: QuerySet) -> None:
    """Send the unsent notices among ``queryset`` now, and say how it went."""
    ids = list(queryset.exclude(status=NoticeStatus.SENT).values_list("pk", flat=True))
    sent, failed = recipients.send_notices(ids)
    level = messages.SUCCESS if not failed else messages.WARNING
    messages.add_message(
        request,
        level,
        _("Recipients told: %(sent)d; not yet (retried later): %(failed)d.")
        % {"sent": sent, "failed": failed},
    )


class RecipientFilter(admin.SimpleListFilter):
    """The recipients by their declared names (a key no longer declared shows as itself)."""

    title = gettext_lazy("recipient")
    parameter_name = "recipient"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        keys = RecipientNotice.objects.values_list("recipient", flat=True).distinct()
        named = {key: RecipientNotice(recipient=key).recipient_name for key in keys}
        named |= {key: str(item.name) for key, item in registry.recipients.items()}
        return sorted(named.items(), key=lambda item: str(item[1]).lower())

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(recipient=self.value()) if self.value() else queryset


@admin.register(RecipientNotice)
class RecipientNoticeAdmin(FormSteps, admin.ModelAdmin):
    list_display = ["__str__", "case", "status", "attempts", "last_attempt_at", "sent_at", "error"]
    list_filter = ["status", "event", RecipientFilter]
    search_fields = ["case__reference"]
    search_help_text = gettext_lazy("A request's reference.")
    list_select_related = ["case"]
    fields = ("case", "restriction", *SHOWN, "fields", "created_at")
    readonly_fields = fields
    actions = ["retry_now", "told_another_way"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Retry now"), permissions=["change"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        retry(request, queryset)

    @admin.action(description=gettext_lazy("Record: told another way…"), permissions=["change"])
    def told_another_way(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self.to_step(
            request, queryset, "told", _("Select exactly one notice for this action.")
        )

    def get_urls(self) -> list[Any]:
        return [*self.step_urls(told=self.told_view), *super().get_urls()]

    def told_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def run(notice: Any, data: dict[str, Any]) -> str:
            recipients.told_another_way(notice, data["how"], actor=request.user)
            return _("%(notice)s: recorded as told.") % {"notice": notice}

        return self.step_page(
            request,
            object_id,
            ToldForm,
            run,
            title=lambda notice: _("How was %(name)s told?") % {"name": notice.recipient_name},
            intro=_(
                "The notice then counts as sent, with what you write on the request's audit trail."
            ),
        )
