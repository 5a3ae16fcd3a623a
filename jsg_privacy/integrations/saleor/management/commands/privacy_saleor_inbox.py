from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jsg_privacy.integrations.saleor import inbox
from jsg_privacy.integrations.saleor.conf import saleor_settings


class Command(BaseCommand):
    help = (
        "Say how many Saleor webhook events wait in the Redis inbox (JSG_PRIVACY_SALEOR_INBOX_URL) "
        "and how many were set aside because a worker could not read them; --drain queues the "
        "waiting ones now (what the beat entry does every 5 minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--drain", action="store_true", help="Queue the waiting events now.")
        actions = parser.add_mutually_exclusive_group()
        actions.add_argument(
            "--retry-unreadable",
            action="store_true",
            help="Put the events set aside back into the inbox (once the workers have the keys).",
        )
        actions.add_argument(
            "--discard-unreadable",
            action="store_true",
            help="Delete the events set aside: no configured key will ever read them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not saleor_settings.INBOX_URL:
            raise CommandError("JSG_PRIVACY_SALEOR_INBOX_URL is not set: there is no inbox.")
        try:
            self._handle(**options)
        except inbox.InboxUnavailable as error:
            raise CommandError(f"Redis cannot be reached ({error}); nothing was done.") from None

    def _handle(self, **options: Any) -> None:
        if options["retry_unreadable"]:
            moved = inbox.retry_unreadable()
            self.stdout.write(f"Put {moved} event(s) set aside back into the inbox.")
        if options["discard_unreadable"]:
            deleted = inbox.discard_unreadable()
            self.stdout.write(self.style.WARNING(f"Deleted {deleted} event(s) set aside."))
        self.stdout.write(
            f"{inbox.pending()} event(s) waiting in the inbox; "
            f"{inbox.unreadable()} set aside as unreadable."
        )
        if options["drain"]:
            queued = inbox.drain()
            self.stdout.write(self.style.SUCCESS(f"Queued {queued} event(s) for the worker."))
