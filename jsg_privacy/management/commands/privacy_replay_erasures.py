from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jsg_privacy.audit import journal, replay
from jsg_privacy.audit.models import ErasureRecord


class Command(BaseCommand):
    help = (
        "Re-apply the erasures recorded since a date, after the database was restored from a "
        "backup. Run it before the restored site takes traffic."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", required=True, help="YYYY-MM-DD: the date of the backup.")
        parser.add_argument("--dry-run", action="store_true", help="Show, change nothing.")
        parser.add_argument(
            "--records",
            help="A JSON file of erasure records (manage.py dumpdata jsg_privacy.ErasureRecord) "
            "saved before the restore; replayed and kept in the restored database.",
        )
        parser.add_argument(
            "--journal",
            help="The erasure journal to read (default: JSG_PRIVACY_ERASURE_JOURNAL, when set); its "
            "records are replayed and kept in the restored database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since = date.fromisoformat(options["since"])
        except ValueError as exc:
            raise CommandError(f"--since must be a date as YYYY-MM-DD: {exc}") from exc
        records = self._records(options["records"], since, options["dry_run"])
        if records is None:
            records = self._journal(options["journal"], since, options["dry_run"])
        results = replay.replay(since, dry_run=options["dry_run"], records=records)
        verb = "Would re-apply" if options["dry_run"] else "Re-applied"
        for result in results:
            record = result.record
            name = f"{record.erased_at:%Y-%m-%d} {record.case_reference or 'erasure'}"
            if result.skipped:
                self.stdout.write(self.style.WARNING(f"{name}: {result.skipped}; not used."))
            for step in result.steps:
                self.stdout.write(f"{name}: {step.label}: {step.action}")
        rows = sum(result.rows for result in results)
        again = sum(1 for result in results if result.rows)
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {again} of {len(results)} erasure(s) since {since}: {rows} row(s)."
            )
        )

    def _journal(self, given: str | None, since: date, dry_run: bool) -> list[ErasureRecord] | None:
        source = Path(given) if given else journal.path()
        if source is None:
            return None
        try:
            found = journal.read(source, since)
        except journal.JournalError as exc:
            raise CommandError(str(exc)) from exc
        if found.refused:
            lines = ", ".join(map(str, found.refused))
            self.stderr.write(
                self.style.ERROR(
                    f"{source}: line(s) {lines} were edited or cannot be read: not replayed. "
                    "Find out why before the site takes traffic."
                )
            )
        self.stdout.write(f"Read {len(found.records)} erasure(s) since {since} from {source}.")
        if not dry_run:
            replay.keep_records(found.records)
        return found.records

    def _records(self, path: str | None, since: date, dry_run: bool) -> list[ErasureRecord] | None:
        if not path:
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                loaded = [
                    item.object
                    for item in serializers.deserialize("json", handle)
                    if isinstance(item.object, ErasureRecord)
                ]
        except (OSError, serializers.base.DeserializationError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        records = [r for r in loaded if r.erased_at.date() >= since]
        if not dry_run:
            replay.keep_records(records)
        return records
