from __future__ import annotations

import functools
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jsg_privacy.crypto import keys, rewrite
from jsg_privacy.crypto.fields import encrypted_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the newest key in JSG_PRIVACY_ENCRYPTION_KEYS, in "
        "batches (one transaction each; rerun to resume). Then the older keys can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=rewrite.BATCH, help="Rows per transaction."
        )
        parser.add_argument(
            "--rehash",
            action="store_true",
            help="Also recompute the keyed-hash lookup columns (after JSG_PRIVACY_HASH_KEY "
            "changed, or rows were written with update()/bulk_update()).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress on stderr.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        try:
            keys.fernet()
        except Exception as exc:  # ImproperlyConfigured: a malformed key (never printed)
            raise CommandError(str(exc)) from None
        show = not options["no_progress"] and options["verbosity"] > 0
        unreadable = 0
        for model in [m for m in apps.get_models() if encrypted_fields(m)]:
            label, total = model._meta.label, model._base_manager.count()
            outcome = rewrite.rewrite(
                model,
                keys.rotate,
                rehash=options["rehash"],
                batch=options["batch"],
                progress=functools.partial(self.progress, label, total=total) if show else None,
            )
            if show:
                self.stderr.write("")
            line = f"{label}: {outcome.rows} rows, {outcome.changed} re-encrypted"
            if outcome.unreadable:
                unreadable += len(outcome.unreadable)
                shown = ", ".join(map(str, outcome.unreadable[:10]))
                more = "…" if len(outcome.unreadable) > 10 else ""
                line += f"; {len(outcome.unreadable)} unreadable with every key (pk {shown}{more})"
            self.stdout.write(line)
        if unreadable:
            raise CommandError(
                f"{unreadable} rows hold values no configured key decrypts; they were left as "
                "they are. Put the key they were written with back into "
                "JSG_PRIVACY_ENCRYPTION_KEYS and run again."
            )
        self.stdout.write(self.style.SUCCESS("Every encrypted value now uses the newest key."))

    def progress(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = width * min(done, total) // total if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stderr.write(f"\r{label:<32} [{bar}] {done:>9,}/{total:,}", ending="")
        self.stderr.flush()
