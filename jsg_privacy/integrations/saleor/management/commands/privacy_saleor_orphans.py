from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jsg_privacy.crypto import subjects
from jsg_privacy.integrations.saleor import orphans
from jsg_privacy.integrations.saleor.client import SaleorUnavailable


class Command(BaseCommand):
    help = (
        "List what Saleor keeps of erased customers that its API could not clear (address rows, "
        "order customer notes and events, staff-side customer events); --clear deletes what the "
        "API allows and prints the SQL the store's operator runs on Saleor's database for the "
        "rest; --done forgets the leftovers once that SQL ran."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="Only the leftovers of the customer with this address.")
        actions = parser.add_mutually_exclusive_group()
        actions.add_argument(
            "--clear",
            action="store_true",
            help="Clear through Saleor's API what it allows; print the SQL for the rest.",
        )
        actions.add_argument(
            "--done",
            action="store_true",
            help="The printed SQL ran on Saleor's database: forget the leftovers it covered.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = subjects.for_email(options["email"]) if options["email"] else None
        if options["done"]:
            forgotten = orphans.forget_given(key)
            self.stdout.write(self.style.SUCCESS(f"Forgot {forgotten} leftover(s) cleared by SQL."))
        rows = list(orphans.pending(key))
        if not rows:
            self.stdout.write("Nothing of an erased customer is left to clear in Saleor.")
            return
        for store, kinds in orphans.counts(rows).items():
            listed = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
            self.stdout.write(f"{store}: {listed}")
        if options["clear"]:
            self._clear(rows)

    def _clear(self, rows: list[Any]) -> None:
        stores: dict[int, list[Any]] = {}
        for row in rows:
            stores.setdefault(row.installation_id, []).append(row)
        for store_rows in stores.values():
            installation = store_rows[0].installation
            if not installation.token:
                self.stderr.write(f"{installation.api_url}: the app was removed; skipped.")
                continue
            try:
                outcome = orphans.clear(installation, store_rows)
            except SaleorUnavailable as error:
                raise CommandError(f"{installation.api_url}: {error} Try again later.") from None
            self.stdout.write(
                self.style.SUCCESS(
                    f"{installation.api_url}: {outcome.cleared} cleared through Saleor's API."
                )
            )
            for failure in outcome.failed:
                self.stderr.write(f"{installation.api_url}: {failure}")
            if outcome.sql:
                self.stdout.write(
                    f"-- Run on the database of {installation.api_url} (Saleor's API cannot "
                    "change these), then: manage.py privacy_saleor_orphans --done"
                )
                self.stdout.write("BEGIN;\n" + "\n".join(outcome.sql) + "\nCOMMIT;")
