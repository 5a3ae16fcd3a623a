from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from jsg_privacy.consent import checkpointing, checkpoints


class Command(BaseCommand):
    help = (
        "Verify what the consent ledger gained since the latest checkpoint (all of it the first "
        "time) and store a new signed checkpoint. Run it from cron, e.g. hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            taken = checkpointing.take()
        except (checkpoints.CheckpointError, ImproperlyConfigured) as error:
            raise CommandError(f"{error} No checkpoint was taken.") from None
        result = taken.verification
        if not result.ok:
            raise CommandError(
                f"The consent ledger is broken at record #{result.first_broken}: {result.reason}. "
                "No checkpoint was taken; run privacy_verify_ledger."
            )
        checkpoint = taken.checkpoint
        if checkpoint is None:
            self.stdout.write("The consent ledger is empty: no checkpoint taken.")
        elif not taken.written:
            self.stdout.write(
                f"Nothing new since {checkpoint.name} ({checkpoint.records} records)."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Checkpoint {checkpoint.name}: {checkpoint.records} records, "
                    f"{result.checked} of them verified now."
                )
            )
