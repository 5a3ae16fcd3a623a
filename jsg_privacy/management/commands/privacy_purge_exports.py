from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jsg_privacy.requests import service


class Command(BaseCommand):
    help = (
        "Delete the export files whose download link has expired "
        "(JSG_PRIVACY_EXPORT_LINK_MAX_AGE). Run it at least hourly, e.g. from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = service.purge_expired_exports()
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} expired export file(s)."))
