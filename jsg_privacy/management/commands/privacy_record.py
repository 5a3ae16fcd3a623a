from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jsg_privacy.notice import record
from jsg_privacy.registry import registry


class Command(BaseCommand):
    help = "Write the record of processing activities (UK GDPR Art. 30) from the data inventory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=sorted(record.RENDERERS), default="json")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args: Any, format: str, output: str | None, **options: Any) -> None:
        data = record.build(registry)
        text = record.RENDERERS[format](data)
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
        activities = len(data["activities"])
        self.stderr.write(
            self.style.SUCCESS(f"Wrote the {format} record ({activities} activities) to {output}.")
        )
