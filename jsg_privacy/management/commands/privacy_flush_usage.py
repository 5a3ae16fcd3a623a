from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jsg_privacy.usage import buffer


class Command(BaseCommand):
    help = (
        "Write the page-view events waiting in the usage buffer (JSG_PRIVACY_USAGE_BUFFER). With a "
        "Redis buffer and JSG_PRIVACY_USAGE_FLUSH_SECONDS = 0, run it from cron or a worker; "
        "--loop keeps writing every N seconds."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", type=float, default=0, metavar="SECONDS")

    def handle(self, *args: Any, loop: float = 0, **options: Any) -> None:
        import time

        while True:
            written = buffer.flush()
            counts = buffer.stats()
            self.stdout.write(
                f"Wrote {written} usage event(s); {counts['pending']} waiting, "
                f"{counts['dropped']} dropped by this process."
            )
            if loop <= 0:
                return
            time.sleep(loop)
