from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jsg_privacy.integrations.saleor import inbox
from jsg_privacy.integrations.saleor.conf import saleor_settings


class Command(BaseCommand):
    help = (
        "Say how many Saleor webhook events wait in the Redis inbox (JSG_PRIVACY_SALEOR_INBOX_URL); "
        "with --drain, queue them for the worker now (what the beat entry does every 5 minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--drain", action="store_true", help="Queue the waiting events now.")

    def handle(self, *args: Any, drain: bool = False, **options: Any) -> None:
        if not saleor_settings.INBOX_URL:
            raise CommandError("JSG_PRIVACY_SALEOR_INBOX_URL is not set: there is no inbox.")
        try:
            waiting = inbox.pending()
            queued = inbox.drain() if drain else 0
        except inbox.InboxUnavailable as error:
            raise CommandError(f"Redis cannot be reached ({error}); nothing was done.") from None
        self.stdout.write(f"{waiting} event(s) waiting in the inbox.")
        if drain:
            self.stdout.write(self.style.SUCCESS(f"Queued {queued} event(s) for the worker."))
