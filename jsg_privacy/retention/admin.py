"""Retention runs in the admin: a read-only log, like the consent ledger, each run's counts as a
table; and **Run retention now**, which first shows what is due — a dry run that changes nothing —
and runs only when staff with the ``run_retention`` permission confirm it (a CSRF-protected POST).

Django's admin autodiscovery imports ``jsg_privacy/admin.py`` only, which imports this module.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jsg_privacy.admin import ReadOnlyAdmin
from jsg_privacy.registry import registry
from jsg_privacy.retention import engine
from jsg_privacy.retention.lock import RetentionBusy
from jsg_privacy.retention.models import RetentionRun
from jsg_privacy.retention.warnings import WARNING_DAYS

RUN_PERMISSION = "jsg_privacy.run_retention"
SHOWN = ("started_at", "finished_at", "dry_run", "status", "per_source", "errors")


def rows(counts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """A run's (or a plan's) counts per source, with the source's declared name."""
    shown = []
    for key, found in counts.items():
        source = registry.sources.get(key)
        label = str(source.name) if source is not None else key
        shown.append({"key": key, "label": label, **found})
    return shown


def counts_table(counts: dict[str, dict[str, Any]], *, dry_run: bool) -> SafeString:
    context = {"rows": rows(counts), "dry_run": dry_run, "warning_days": WARNING_DAYS}
    return SafeString(render_to_string("admin/jsg_privacy/retentionrun/_counts.html", context))


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "dry_run", "status"]
    list_filter = ["status", "dry_run"]
    date_hierarchy = "started_at"
    fields = SHOWN
    readonly_fields = SHOWN
    change_list_template = "admin/jsg_privacy/retentionrun/change_list.html"

    @admin.display(description=gettext_lazy("per source"))
    def per_source(self, obj: RetentionRun) -> SafeString:
        return counts_table(obj.counts or {}, dry_run=obj.dry_run)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.run_view)
        return [
            path("run/", view, name="jsg_privacy_retentionrun_run"),
            *super().get_urls(),
        ]

    def run_view(self, request: HttpRequest) -> HttpResponse:
        """GET: what is due now, per source (nothing changes). POST: run retention."""
        if not request.user.has_perm(RUN_PERMISSION):
            raise PermissionDenied
        if request.method == "POST":
            return self._run(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405)
        due = {report.key: report.as_counts() for report in engine.plan()}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Run retention now?"),
            "table": counts_table(due, dry_run=True),
            "total": sum(found["due"] for found in due.values() if not found["skipped"]),
        }
        return TemplateResponse(request, "admin/jsg_privacy/retentionrun/run.html", context)

    def _run(self, request: HttpRequest) -> HttpResponse:
        try:
            run = engine.enforce()
        except RetentionBusy as exc:
            messages.error(request, str(exc))
            return redirect("admin:jsg_privacy_retentionrun_changelist")
        if run.errors:
            messages.error(request, _("The run failed for some sources; the next run resumes."))
        else:
            messages.success(request, _("Retention run finished."))
        return redirect("admin:jsg_privacy_retentionrun_change", run.pk)
