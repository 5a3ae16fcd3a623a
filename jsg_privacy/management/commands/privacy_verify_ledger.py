from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jsg_privacy.consent import ledger


class Command(BaseCommand):
    help = "Verify the consent ledger's hash chain and name the first broken link, if any."

    def handle(self, *args: Any, **options: Any) -> None:
        result = ledger.verify()
        if not result.ok:
            raise CommandError(
                f"The consent ledger is broken at record #{result.first_broken}: {result.reason}. "
                f"{result.checked} records before it verified."
            )
        self.stdout.write(
            self.style.SUCCESS(f"The consent ledger verifies: {result.checked} records.")
        )
