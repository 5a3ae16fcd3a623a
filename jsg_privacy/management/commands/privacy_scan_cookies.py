from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jsg_privacy.consent import scan
from jsg_privacy.consent.cookies import EVERY_GROUP, Verdict, declaration_example

SHOWN_PATHS = 3


class Command(BaseCommand):
    help = (
        "Visit the shop's URLs (GET only, as a first-time visitor) and list every cookie they set: "
        "declared or not, under which purpose, where. Exits non-zero if a cookie no declaration "
        "covers is set, for CI. Database changes made while visiting are rolled back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path",
            action="append",
            default=[],
            dest="paths",
            help="Also visit this path (repeatable), e.g. a product page: --path /products/meter/",
        )
        parser.add_argument(
            "--accept-all",
            action="store_true",
            help="Visit every URL again as a visitor who accepted every cookie group.",
        )
        parser.add_argument(
            "--include-admin", action="store_true", help="Visit the admin's URLs too."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        extra = options["paths"]
        for path in extra:
            if not path.startswith("/"):
                raise CommandError(f"--path {path!r} must start with /.")
        paths = list(
            dict.fromkeys([*scan.url_paths(include_admin=options["include_admin"]), *extra])
        )
        result = scan.scan(paths, accept_all=options["accept_all"])
        self.report(result, options["verbosity"])
        undeclared = result.undeclared
        if undeclared:
            raise CommandError(
                f"{len(undeclared)} cookie(s) set that no declaration covers: "
                f"{', '.join(undeclared)}. Declare each in an app's privacy.py, e.g. "
                f"{declaration_example(undeclared[0])}, with the consent purpose it serves instead "
                "of NECESSARY unless the shop cannot work without it; see docs/consent.md."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Every cookie set is declared or built in ({len(result.cookies)} seen)."
            )
        )

    def report(self, result: scan.Scan, verbosity: int) -> None:
        as_whom = " and as a ".join(result.visitors)
        self.stdout.write(
            f"Visited {len(result.paths)} paths as a {as_whom} "
            "(GET only; database changes rolled back)."
        )
        if not result.guarded:
            self.stdout.write(
                self.style.WARNING(
                    "ConsentMiddleware is not installed: no cookie is held back at run time."
                )
            )
        for name in sorted(
            result.cookies, key=lambda n: (not result.cookies[n].verdict.reported, n)
        ):
            found = result.cookies[name]
            if verbosity < 1 and not found.verdict.reported:
                continue
            style = self.style.ERROR if found.verdict.reported else (lambda text: text)
            self.stdout.write(style(f"{name}: {describe(found.verdict)}"))
            for line in sighting_lines(found):
                self.stdout.write(f"    {line}")
        failures: dict[str, list[str]] = defaultdict(list)
        for failure in result.failures:
            key = str(failure.status) if failure.status else f"error ({failure.error})"
            if failure.path not in failures[key]:
                failures[key].append(failure.path)
        if failures:
            self.stdout.write("Pages that answered an error (their cookies may be missing above):")
            for key, paths in sorted(failures.items()):
                self.stdout.write(self.style.WARNING(f"    {key}: {shorten(paths)}"))


def describe(verdict: Verdict) -> str:
    """``declared as _ga_*: analytics, needs consent``, ``NOT DECLARED``, …"""
    cookie = verdict.cookie
    if cookie is None:
        if verdict.builtin:
            return f"built in ({verdict.builtin}), not declared: the notice does not list it"
        return "NOT DECLARED"
    text = "declared" + (f" as {cookie.name}" if cookie.name != verdict.name else "")
    if verdict.group == EVERY_GROUP:
        text += f": {cookie.purpose}, a purpose nobody declared"
    else:
        text += f": {cookie.purpose}, {'needs consent' if verdict.group else 'no consent needed'}"
    return text + (f" ({verdict.builtin})" if verdict.builtin else "")


def sighting_lines(found: scan.Found) -> list[str]:
    lines = []
    for visitor in dict.fromkeys(s.visitor for s in found.sightings):
        mine = [s for s in found.sightings if s.visitor == visitor]
        parts = []
        for label, chosen in (
            ("set on", [s.path for s in mine if not s.held_back and not s.unguarded]),
            ("held back on", [s.path for s in mine if s.held_back]),
            (
                "set out of ConsentMiddleware's reach (a middleware listed before it?) on",
                [s.path for s in mine if s.unguarded],
            ),
        ):
            if chosen:
                parts.append(f"{label} {shorten(chosen)}")
        lines.append(f"{visitor}: {'; '.join(parts)}")
    return lines


def shorten(paths: list[str]) -> str:
    shown = ", ".join(paths[:SHOWN_PATHS])
    return shown + (f" and {len(paths) - SHOWN_PATHS} more" if len(paths) > SHOWN_PATHS else "")
