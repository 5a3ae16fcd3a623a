"""``manage.py privacy_inspect [app_label ...]``: draft declarations for undeclared personal data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jsg_privacy.registry import draft, registry


class Command(BaseCommand):
    help = (
        "Draft privacy.py declarations for every model holding personal data that nothing "
        "declares, the way inspectdb drafts models. Every guess is a to-do that check reports."
    )
    requires_system_checks: list[str] = []  # it exists to fix what the checks report

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("app_labels", nargs="*", help="Only these apps (default: all).")
        parser.add_argument(
            "--output", "-o", help="Write the draft to this file (refused if it exists)."
        )

    def handle(self, *args: Any, app_labels: list[str], output: str | None, **options: Any) -> None:
        for label in app_labels:
            try:
                apps.get_app_config(label)
            except LookupError as exc:
                raise CommandError(f"No installed app with the label {label!r}.") from exc
        drafts = draft.draft(registry, app_labels)
        if not drafts:
            self.stderr.write(self.style.SUCCESS("Every model with personal data is declared."))
            return
        places = draft.where_to_put(drafts)
        where = "\n".join(f"{label}: {place}" for label, place in places.items())
        text = draft.render(drafts, where="Where this goes:\n" + where)
        if output:
            path = Path(output)
            if path.exists():
                raise CommandError(f"{output} exists: choose another file (nothing was written).")
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
        else:
            self.stdout.write(text, ending="")
        todos = sum(len(d.todo) for d in drafts)
        self.stderr.write(
            f"Drafted {len(drafts)} declaration(s) with {todos} to-do(s) for check to report."
        )
        for label, place in places.items():
            self.stderr.write(f"  {label}: {place}")
