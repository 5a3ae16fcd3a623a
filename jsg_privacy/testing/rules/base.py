"""A rule of the kit: an id, what it checks, the law or guidance it comes from, and how it looks."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jsg_privacy.testing.results import BROWSER, Result, Status

if TYPE_CHECKING:
    from jsg_privacy.testing.audit import Audit

#: How much of a rule needs chromium.
NO_BROWSER = "no"
BROWSER_TOO = "partly"  # the HTTP client checks part; chromium adds the rest
BROWSER_ONLY = "only"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    #: The regulation or guidance the rule comes from, as a report names it.
    law: str
    #: What the rule looks at, in a sentence (the report and docs/compliance-kit.md show it).
    checks: str
    browser: str
    check: Callable[[Audit], Result]

    def run(self, audit: Audit) -> Result:
        reason = audit.config.not_applicable.get(self.id)
        if reason:
            return Result(self.id, Status.NOT_APPLICABLE, f"The shop says: {reason}")
        if self.browser == BROWSER_ONLY and audit.browser is None:
            return Result(
                self.id,
                Status.SKIPPED,
                f"Needs a browser; skipped because {audit.browser_missing or 'there is none'}.",
                [BROWSER],
            )
        try:
            result = self.check(audit)
        except Exception as error:  # the kit reports a rule that broke, and goes on
            text = "".join(traceback.format_exception_only(error)).strip()
            return Result(self.id, Status.FAIL, f"The check itself failed: {text[:500]}")
        if self.browser == BROWSER_TOO and audit.browser is None and result.status == Status.PASS:
            result.reason += (
                f" Only the HTTP client's part was checked; the browser's part was skipped "
                f"({audit.browser_missing})."
            )
            result.status = Status.SKIPPED
        return result


RULES: list[Rule] = []


def rule(
    id: str, title: str, *, law: str, checks: str, browser: str = NO_BROWSER
) -> Callable[[Callable[[Audit], Result]], Callable[[Audit], Result]]:
    """Register the decorated function as a rule, in the order rules are run and reported."""

    def register(check: Callable[[Audit], Result]) -> Callable[[Audit], Result]:
        RULES.append(Rule(id, title, law, checks, browser, check))
        return check

    return register
