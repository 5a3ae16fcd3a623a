from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jsg_privacy.consent import ledger


class Command(BaseCommand):
    help = (
        "Verify the consent ledger: every record's signature and link, then the latest signed "
        "checkpoint (records deleted from the end). Names the first bad record; exits non-zero."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = ledger.verify()
        if not result.ok and result.first_broken is None:
            raise CommandError(f"The consent ledger cannot be verified: {result.reason}")
        if not result.ok:
            raise CommandError(
                f"The consent ledger is broken at record #{result.first_broken}: {result.reason}. "
                f"{result.checked} records before it verified."
            )
        self.stdout.write(
            self.style.SUCCESS(f"The consent ledger verifies: {result.checked} records.")
        )
        if result.checkpoint:
            self.stdout.write(f"Checked against the checkpoint {result.checkpoint}.")
        elif result.checked:
            self.stdout.write(
                self.style.WARNING(
                    "No checkpoint yet, so records deleted from the end could go unnoticed: run "
                    "`manage.py privacy_ledger_checkpoint` (and from cron)."
                )
            )
