from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Run the compliance kit's rules against the shop and write a report for a person (HTML, "
        "with evidence) and for machines (JSON). With --url, pages are fetched from that running "
        "shop and chromium checks them too; without it, through Django's test client with every "
        "change rolled back. Exits 1 if a rule failed. See docs/compliance-kit.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="", help="A running shop, e.g. http://127.0.0.1:8000")
        parser.add_argument(
            "--output",
            default="privacy-audit.html",
            help="The HTML report (the JSON one is written beside it, .json).",
        )
        parser.add_argument(
            "--rule",
            action="append",
            default=[],
            dest="rules",
            help="Run only this rule (repeatable).",
        )
        parser.add_argument(
            "--no-browser",
            action="store_true",
            help="Do not start chromium (its rules are skipped).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            import bs4  # noqa: F401 -- the kit reads pages with it: missing, say so now

            from jsg_privacy.testing.audit import Audit
            from jsg_privacy.testing.config import KitConfig
            from jsg_privacy.testing.report import write
        except ImportError as error:
            raise CommandError(
                f'The compliance kit needs its extra: pip install "jsg-privacy[testing]" ({error}).'
            ) from error
        url = options["url"]
        if url and not url.startswith(("http://", "https://")):
            raise CommandError(f"--url {url!r} must start with http:// or https://.")
        styles = {
            "pass": self.style.SUCCESS,
            "fail": self.style.ERROR,
            "skipped": self.style.WARNING,
        }

        def show(result: Any) -> None:  # each rule as it ends: the browser's take a while
            style = styles.get(result.status.value, str)
            self.stdout.write(
                style(f"{result.status.value.upper():>14}  {result.rule}: {result.reason}")
            )

        try:
            config = KitConfig.from_settings()
            audit = Audit(config, base_url=url, use_browser=not options["no_browser"])
            self.stdout.write(f"Auditing {audit.target}...")
            report = audit.run(options["rules"], on_result=show)
        except (ImproperlyConfigured, ValueError) as error:
            raise CommandError(str(error)) from error
        paths = write(report, Path(options["output"]))
        counts = report.counts()
        self.stdout.write(
            f"{counts['pass']} passed, {counts['fail']} failed, {counts['skipped']} skipped, "
            f"{counts['not applicable']} not applicable. Browser: {report.browser}."
        )
        self.stdout.write("Report: " + ", ".join(str(p) for p in paths))
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} rule(s) failed: "
                + ", ".join(result.rule for result in report.failed)
            )
