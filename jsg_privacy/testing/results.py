"""What a rule of the compliance kit answers: a status, the reason, and the evidence behind it.

A rule never passes by default: it passes only when it looked at something and found it right.
A rule that could not look (no browser, no subject factory, a page that would not load) is
``skipped`` or ``fail``, with the reason; ``not applicable`` is the shop's own, reasoned decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: The rules, in the order they run and are reported (each is defined in ``rules/``).
RULE_IDS = (
    "no-tracking-before-choice",
    "no-tracking-after-refusal",
    "accept-reject-alike",
    "closing-is-not-consent",
    "one-choice-per-purpose",
    "no-preticked-consent",
    "settings-link-everywhere",
    "withdraw-in-one-action",
    "gpc-honoured",
    "card-number-refused",
    "models-declared",
    "export-complete",
    "erasure-leaves-held-only",
    "deadlines-calendar-month",
    "notice-complete",
)


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 -- a status, not a password
    FAIL = "fail"
    NOT_APPLICABLE = "not applicable"
    SKIPPED = "skipped"


#: The label of the evidence that lists what a failed rule found wrong.
PROBLEMS = "Problems found"
#: How a rule looked at the shop.
CLIENT = "HTTP client"
BROWSER = "browser (chromium)"
IN_PROCESS = "the shop's code and database (rolled back)"


@dataclass
class Evidence:
    """One thing seen: ``kind`` is "text", "list" (``items``), "table" (``rows``) or "screenshot"
    (``image``: PNG bytes, shown in the HTML report, left out of the JSON one)."""

    label: str
    kind: str = "text"
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    image: bytes = b""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label, "kind": self.kind}
        if self.text:
            data["text"] = self.text
        if self.items:
            data["items"] = self.items
        if self.rows:
            data["rows"] = self.rows
        if self.image:
            data["image"] = "PNG, in the HTML report"
        return data


@dataclass
class Result:
    rule: str
    status: Status
    reason: str
    #: How it was checked: CLIENT, BROWSER, IN_PROCESS (one or more).
    checked_with: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Neither failed nor skipped: passed, or not applicable with the shop's reason."""
        return self.status in (Status.PASS, Status.NOT_APPLICABLE)


class Findings:
    """Problems and evidence collected while a rule looks; ``result()`` turns them into a Result.

    ``problem()`` records what is wrong (the rule fails), ``unchecked()`` what could not be looked
    at (the rule fails too: what cannot be checked never passes), ``looked()`` counts what was.
    """

    def __init__(self, rule: str, *checked_with: str) -> None:
        self.rule = rule
        self.checked_with = list(checked_with)
        self.problems: list[str] = []
        self.evidence: list[Evidence] = []
        self.looked_at = 0

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def looked(self, count: int = 1) -> None:
        self.looked_at += count

    def add(self, evidence: Evidence) -> None:
        self.evidence.append(evidence)

    def note(self, label: str, text: str) -> None:
        self.evidence.append(Evidence(label, text=text))

    def result(self, passed: str, *, nothing: str = "") -> Result:
        """Fail with the problems; pass with ``passed``; fail when nothing was looked at."""
        if self.problems:
            shown = self.problems[:12]
            more = len(self.problems) - len(shown)
            reason = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
            self.evidence.insert(0, Evidence(PROBLEMS, kind="list", items=self.problems))
            return Result(self.rule, Status.FAIL, reason, self.checked_with, self.evidence)
        if not self.looked_at:
            return Result(
                self.rule,
                Status.FAIL,
                nothing or "Nothing could be checked, so the rule cannot pass.",
                self.checked_with,
                self.evidence,
            )
        return Result(self.rule, Status.PASS, passed, self.checked_with, self.evidence)
