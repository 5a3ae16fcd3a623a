"""Retention runs in the admin: a read-only log, like the consent ledger.

Django's admin autodiscovery imports ``jsg_privacy/admin.py`` only, which imports this module.
"""

from __future__ import annotations

from django.contrib import admin

from jsg_privacy.admin import ReadOnlyAdmin
from jsg_privacy.retention.models import RetentionRun


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "dry_run", "status"]
    list_filter = ["status", "dry_run"]
    date_hierarchy = "started_at"
    readonly_fields = ["started_at", "finished_at", "dry_run", "status", "counts", "errors"]
