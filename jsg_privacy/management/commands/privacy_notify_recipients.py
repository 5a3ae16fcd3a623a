from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jsg_privacy.requests import recipients
from jsg_privacy.requests.notices import RecipientNotice


class Command(BaseCommand):
    help = (
        "Send the Art. 19 notices to recipients that are due: those that failed (a mail server or "
        "an API that was away) once their delay has passed. Run it every 15 minutes, e.g. from "
        "cron; --all sends every unsent notice now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", help="Send every unsent notice now, due or not."
        )
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError("--limit must be at least 1.")
        if options["all"]:
            ids = list(RecipientNotice.objects.unsent().order_by("pk").values_list("pk", flat=True))
            sent, failed = recipients.send_notices(ids[: options["limit"]])
        else:
            sent, failed = recipients.send_due(options["limit"])
        waiting = RecipientNotice.objects.unsent().count()
        line = (
            f"Recipients told: {sent}; failed, retried later: {failed}; still to tell: {waiting}."
        )
        self.stdout.write(self.style.SUCCESS(line) if not failed else self.style.WARNING(line))
