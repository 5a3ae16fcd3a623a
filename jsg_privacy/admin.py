from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jsg_privacy.models import ConsentRecord, NoticeVersion
from jsg_privacy.notice import record
from jsg_privacy.registry import registry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that prove what happened: staff may read them, never add, change or delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(NoticeVersion)
class NoticeVersionAdmin(ReadOnlyAdmin):
    list_display = ["short_digest", "language", "published_at", "public_link"]
    list_filter = ["language"]
    date_hierarchy = "published_at"
    fields = ["digest", "language", "published_at", "content"]
    change_list_template = "admin/jsg_privacy/noticeversion/change_list.html"

    @admin.display(description=_("public page"))
    def public_link(self, obj: NoticeVersion) -> str:
        url = reverse("jsg_privacy:notice-version", args=[obj.digest])
        return format_html('<a href="{}">{}</a>', url, _("view"))

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.record_view)
        return [path("record/", view, name="jsg_privacy_record"), *super().get_urls()]

    def record_view(self, request: HttpRequest) -> HttpResponse:
        """The Art. 30 record of processing, with downloads in every format."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        data = record.build(registry)
        fmt = request.GET.get("format")
        if fmt in record.RENDERERS:
            response = HttpResponse(
                record.RENDERERS[fmt](data),
                content_type={"json": "application/json", "csv": "text/csv", "html": "text/html"}[
                    fmt
                ],
            )
            response["Content-Disposition"] = f'attachment; filename="record-of-processing.{fmt}"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record of processing activities (UK GDPR Art. 30)"),
            "record": data,
            "formats": sorted(record.RENDERERS),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/jsg_privacy/record.html", context)


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    """The consent ledger: proof of every choice. Nobody may add, change or delete a record."""

    list_display = ["id", "created_at", "purpose", "action", "channel", "medium", "short_subject"]
    list_filter = ["action", "channel", "purpose", "medium"]
    search_fields = ["=subject_key", "=hash"]
    date_hierarchy = "created_at"
    fields = [*ConsentRecord.HASHED_FIELDS, "lane", "position", "key_id", "prev_hash", "hash"]
    show_full_result_count = False  # the ledger grows without bound: no COUNT(*) on every page

    @admin.display(description=_("subject key"))
    def short_subject(self, obj: ConsentRecord) -> str:
        return obj.subject_key[:12]


# The marketing admin uses ReadOnlyAdmin above; Django's admin autodiscovery imports only this module.
from jsg_privacy.audit import admin as audit_admin  # noqa: E402, F401
from jsg_privacy.consent import admin as consent_admin  # noqa: E402, F401
from jsg_privacy.marketing import admin as marketing_admin  # noqa: E402, F401
from jsg_privacy.payments import admin as payments_admin  # noqa: E402, F401
from jsg_privacy.requests import admin as requests_admin  # noqa: E402, F401
from jsg_privacy.retention import admin as retention_admin  # noqa: E402, F401
