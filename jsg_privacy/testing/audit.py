"""Run the kit's rules against a shop: through the test client, over HTTP, and in chromium.

:class:`Audit` holds what the rules share: the configuration, the pages, a way to make fresh
visitors, the first visit to each page (fetched once), and the browser when there is one.
:func:`run` runs the rules and returns a :class:`Report`; nothing it does is kept: the test
client's requests and the in-process checks run inside transactions that are rolled back.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from jsg_privacy.testing import browser as browser_module
from jsg_privacy.testing.config import KitConfig
from jsg_privacy.testing.results import Result, Status
from jsg_privacy.testing.visitors import ClientVisitor, HttpVisitor, Page, Visitor

#: Loggers that report what the audit provokes on purpose (4xx answers, refusals).
QUIET_LOGGERS = ("django.request", "django.security.csrf", "jsg_privacy.payments.guard")
#: What a discovered page (not one the shop listed) may answer without failing: not a page to GET.
NOT_A_PAGE = {401, 403, 404, 405}


@dataclass
class Report:
    target: str
    started: datetime
    pages: list[str]
    browser: str
    results: list[Result] = field(default_factory=list)

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == Status.FAIL]

    @property
    def skipped(self) -> list[Result]:
        return [r for r in self.results if r.status == Status.SKIPPED]

    def counts(self) -> dict[str, int]:
        return {status.value: sum(r.status == status for r in self.results) for status in Status}


class Audit:
    def __init__(self, config: KitConfig, *, base_url: str = "", use_browser: bool = True) -> None:
        self.config = config
        self.base_url = base_url.rstrip("/")
        self.use_browser = use_browser
        self.browser: Any = None
        self.browser_missing = ""
        self._first: dict[str, Page] = {}
        self._unreachable: dict[str, str] = {}
        self.pages: list[str] = []
        self.listed: set[str] = set()

    # -- visitors ---------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.base_url).netloc if self.base_url else "testserver"

    @property
    def target(self) -> str:
        return self.base_url or "the test client (in this process)"

    def visitor(self) -> Visitor:
        """A first-time visitor: no cookies."""
        return HttpVisitor(self.base_url, self._unreachable) if self.base_url else ClientVisitor()

    def first_visit(self, path: str) -> Page:
        """The page as a first-time visitor gets it (fetched once per audit)."""
        if path not in self._first:
            self._first[path] = self.visitor().get(path)
        return self._first[path]

    def looks_at(self, page: Page, findings: Any) -> bool:
        """Whether ``page`` has HTML to check. A page that errors is a problem of the rule (with
        its status), unless it is a discovered URL that is not a page (405, 404...)."""
        if page.rendered:
            return True
        errored = page.error or (page.status is not None and page.status >= 400)
        if errored and (page.path in self.listed or page.status not in NOT_A_PAGE):
            findings.problem(page.describe())
        return False

    def html_pages(self, findings: Any = None) -> list[Page]:
        """The first visits that answered HTML; none is a problem of ``findings``, if given."""
        pages = [page for path in self.pages if (page := self.first_visit(path)).rendered]
        if not pages and findings is not None:
            findings.problem("no page answered HTML: there is nothing to look at")
        return pages

    def url(self, path: str) -> str:
        return (self.base_url or "http://testserver") + path

    # -- running ----------------------------------------------------------------------------

    @contextmanager
    def _browser(self) -> Iterator[None]:
        if not self.use_browser:
            self.browser_missing = "the browser was switched off (--no-browser)"
            yield
            return
        if not self.base_url:
            self.browser_missing = (
                "there is no running shop to point chromium at: give --url (the test client runs "
                "no JavaScript)"
            )
            yield
            return
        try:
            with browser_module.launch(self.config.chromium) as browser:
                self.browser = browser
                yield
        except browser_module.Unavailable as error:
            self.browser_missing = str(error)
            yield
        finally:
            self.browser = None

    def run(
        self, only: Sequence[str] = (), on_result: Callable[[Result], object] | None = None
    ) -> Report:
        """Run the rules (``only`` these ids, if given); ``on_result`` hears each as it ends."""
        from jsg_privacy.consent import sightings
        from jsg_privacy.testing.rules import RULES

        unknown = set(only) - {rule.id for rule in RULES}
        if unknown:
            raise ValueError(f"Unknown rule ids: {', '.join(sorted(unknown))}")
        self.listed = set(self._listed_pages())
        self.pages = self.config.page_list()
        report = Report(self.target, datetime.now(UTC), self.pages, "")
        with ExitStack() as stack:
            stack.enter_context(self._quiet())
            if not self.base_url:  # the test client writes to this database: roll it all back
                stack.enter_context(sightings.paused())
                stack.enter_context(transaction.atomic())
            stack.enter_context(self._browser())
            report.browser = (
                f"chromium ({browser_module.chromium_path(self.config.chromium)})"
                if self.browser is not None
                else f"none: {self.browser_missing}"
            )
            for rule in RULES:
                if only and rule.id not in only:
                    continue
                result = rule.run(self)
                report.results.append(result)
                if on_result is not None:
                    on_result(result)
            if not self.base_url:
                transaction.set_rollback(True)
        return report

    @staticmethod
    @contextmanager
    def _quiet() -> Iterator[None]:
        """Django logs every 4xx the audit provokes on purpose (a card number refused, a GET to a
        POST-only URL it discovered) and the guard each refusal: not repeated dozens of times."""
        loggers = [logging.getLogger(n) for n in QUIET_LOGGERS]
        was = [logger.disabled for logger in loggers]
        for logger in loggers:
            logger.disabled = True
        try:
            yield
        finally:
            for logger, disabled in zip(loggers, was, strict=True):
                logger.disabled = disabled

    def _listed_pages(self) -> list[str]:
        config = self.config
        given = config.pages() if callable(config.pages) else config.pages
        return [*given, config.checkout, config.sign_up]


def make_subject(audit: Audit) -> Any:
    """The configured subject factory's subject (a jsg_privacy ``Subject``), or ``None``."""
    from jsg_privacy.registry import Subject

    factory = audit.config.subject
    if factory is None:
        return None
    made = factory()
    if isinstance(made, Subject):
        return made
    return Subject(user_id=made.pk, email=getattr(made, "email", "") or "")
