from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jsg_privacy.retention import engine
from jsg_privacy.retention.lock import RetentionBusy
from jsg_privacy.retention.warnings import WARNING_DAYS


class Command(BaseCommand):
    help = (
        "Delete or anonymise the rows whose retention period is over, as each source declares. "
        "Run it daily (cron, or Celery beat: jsg_privacy.retention.schedule.beat_schedule)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what is due, per source; change nothing."
        )
        parser.add_argument(
            "--max", type=int, default=None, help="Process at most this many rows in this run."
        )
        parser.add_argument("--batch", type=int, default=engine.BATCH, help="Rows per transaction.")
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress lines on stderr."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["max"] is not None and options["max"] < 0:
            raise CommandError("--max must be zero or more.")
        if options["batch"] is not None and options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        show = not options["no_progress"] and options["verbosity"] > 0
        try:
            run = engine.enforce(
                dry_run=options["dry_run"],
                max_rows=options["max"],
                batch=options["batch"],
                progress=self.progress if show else None,
            )
        except RetentionBusy as exc:
            raise CommandError(str(exc)) from None
        self.report(run)
        if run.errors:
            raise CommandError(
                f"Retention run {run.pk} failed; the next run resumes:\n{run.errors}"
            )

    def progress(self, key: str, done: int, due: int) -> None:
        """One line per source, redrawn after each batch; the bar fills when the source is done."""
        width = 30
        bar = (
            "#" * width
            if due
            else "".join("#" if i == (done // 2000) % width else "-" for i in range(width))
        )
        sys.stderr.write(f"\r{key:<32} [{bar}] {done:>11,} rows")
        if due:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def report(self, run: Any) -> None:
        verb = "Due" if run.dry_run else "Done"
        self.stdout.write(f"{verb} (run {run.pk}, {run.started_at:%Y-%m-%d %H:%M}):")
        for key, counts in run.counts.items():
            if counts.get("skipped"):
                self.stdout.write(f"  {key}: skipped ({counts['skipped']})")
                continue
            if run.dry_run:
                line = f"  {key}: {counts.get('due', 0)} due"
                if counts.get("due"):
                    oldest = f", oldest {counts['oldest'][:10]}" if counts.get("oldest") else ""
                    line += f"{oldest}, {counts['action']}"
            else:
                line = (
                    f"  {key}: deleted {counts.get('deleted', 0)}, "
                    f"anonymised {counts.get('anonymised', 0)}"
                )
            if counts.get("held"):
                line += f"; {counts['held']} kept under a legal hold"
            if counts.get("restricted"):
                line += f"; {counts['restricted']} kept: processing restricted (Art. 18)"
            if counts.get("protected"):
                line += f"; {counts['protected']} kept until the rows that refer to them go"
            if counts.get("never_due"):
                line += (
                    f"; {counts['never_due']} NEVER due: no {counts.get('anchor', 'anchor')} and "
                    "no fallback date (check E025)"
                )
            if counts.get("awaiting_warning"):
                line += (
                    f"; {counts['awaiting_warning']} kept until {WARNING_DAYS} days after their "
                    "warning e-mail"
                )
            if counts.get("to_warn"):
                line += f"; {counts['to_warn']} to be warned by e-mail first"
            if counts.get("warned"):
                line += f"; {counts['warned']} warned by e-mail"
            self.stdout.write(line)
        style = self.style.ERROR if run.errors else self.style.SUCCESS
        self.stdout.write(style(f"Run {run.pk}: {run.get_status_display()}."))
