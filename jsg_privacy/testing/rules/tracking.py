"""No tracking before a choice, none after a refusal, and GPC honoured."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jsg_privacy.consent import groups, state
from jsg_privacy.testing.markup import banner_urls, form_posting_to, third_party
from jsg_privacy.testing.results import BROWSER, CLIENT, Evidence, Findings, Result, Status
from jsg_privacy.testing.rules.base import BROWSER_TOO, rule
from jsg_privacy.testing.rules.support import (
    browser_context,
    consent_state,
    needs_consent,
    open_page,
    screenshot,
    tracking_in_browser,
)

if TYPE_CHECKING:
    from jsg_privacy.testing.audit import Audit
    from jsg_privacy.testing.visitors import Page, Visitor

PECR_6 = (
    "PECR reg. 6 (storage and access: consent first, Sch. A1 exceptions); ICO guidance on "
    "storage and access technologies (2026)"
)


def _served_tracking(page: Page, host: str, allowed: Any = ()) -> list[str]:
    problems = []
    for name in page.set_cookies:
        why = needs_consent(name)
        if why:
            problems.append(f"{page.path}: the server set cookie {name} ({why})")
    for found in third_party(page.soup, host, allowed) if page.rendered else []:
        problems.append(f"{page.path}: loads {found} from another site")
    return problems


@rule(
    "no-tracking-before-choice",
    "No tracking before a choice",
    law=PECR_6,
    checks="A first-time visitor gets no non-essential or undeclared cookie, no such localStorage "
    "or sessionStorage key and no request to another site on any page, before choosing.",
    browser=BROWSER_TOO,
)
def before_choice(audit: Audit) -> Result:
    findings = Findings("no-tracking-before-choice", CLIENT)
    cookies_seen: set[str] = set()
    for path in audit.pages:
        page = audit.first_visit(path)
        if not audit.looks_at(page, findings):
            continue
        findings.looked()
        cookies_seen.update(page.set_cookies)
        for problem in _served_tracking(page, audit.host, audit.config.third_parties):
            findings.problem(problem)
    if audit.browser is not None:
        findings.checked_with.append(BROWSER)
        with browser_context(audit) as (context, seen):
            for page in audit.html_pages():
                tab, failed = open_page(context, page.path)
                if failed:
                    findings.problem(failed)
                for problem in tracking_in_browser(context, tab, seen, page.path):
                    findings.problem(problem)
                if not findings.evidence:
                    findings.add(
                        Evidence(
                            f"{page.path} on a first visit",
                            kind="screenshot",
                            image=screenshot(tab),
                        )
                    )
                tab.close()
            cookies_seen.update(cookie["name"] for cookie in context.cookies())
    findings.add(
        Evidence("Cookies a first-time visitor got", kind="list", items=sorted(cookies_seen))
    )
    if audit.config.third_parties:
        findings.add(
            Evidence(
                "Other sites the shop allows, with its reasons",
                kind="list",
                items=[f"{host}: {why}" for host, why in audit.config.third_parties.items()],
            )
        )
    return findings.result(
        f"{findings.looked_at} pages set nothing non-essential and load nothing from another site "
        "before a choice."
    )


def refuse(audit: Audit, findings: Findings) -> Visitor | None:
    """A visitor who pressed "Reject all" on the first page (the plain form, as without JavaScript)."""
    visitor = audit.visitor()
    pages = audit.html_pages(findings)
    if not pages:
        return None
    first = visitor.get(pages[0].path)
    if not audit.looks_at(first, findings):
        return None
    form = form_posting_to(first.soup, banner_urls()["decline"], first.path)
    if form is None:
        findings.problem(f"{first.path}: no form posts to {banner_urls()['decline']} (Reject all)")
        return None
    answer = visitor.submit(first, form)
    if answer.status is None or answer.status >= 400:
        findings.problem(f"Reject all on {first.path}: {answer.describe()}")
        return None
    return visitor


@rule(
    "no-tracking-after-refusal",
    "Nothing non-essential after a refusal",
    law=PECR_6 + "; UK GDPR Art. 7(3)",
    checks="After pressing Reject all, every later page sets no non-essential cookie or storage "
    "key and makes no request to another site; the consent cookie records every group refused.",
    browser=BROWSER_TOO,
)
def after_refusal(audit: Audit) -> Result:
    findings = Findings("no-tracking-after-refusal", CLIENT)
    visitor = refuse(audit, findings)
    if visitor is not None:
        current = consent_state(visitor.cookie(state.cookie_name()))
        accepted = [g.key for g in groups.current() if current.accepted(g.key) is not False]
        if accepted:
            findings.problem(f"after Reject all, not refused: {', '.join(accepted)}")
        for path in audit.pages:
            page = visitor.get(path)
            if not audit.looks_at(page, findings):
                continue
            findings.looked()
            for problem in _served_tracking(page, audit.host, audit.config.third_parties):
                findings.problem(f"after Reject all, {problem}")
    if audit.browser is not None:
        findings.checked_with.append(BROWSER)
        _refuse_in_browser(audit, findings)
    return findings.result(
        f"After Reject all, {findings.looked_at} page visits set nothing non-essential."
    )


def _refuse_in_browser(audit: Audit, findings: Findings) -> None:
    pages = audit.html_pages()
    if not pages:
        return
    decline = banner_urls()["decline"]
    with browser_context(audit) as (context, seen):
        tab, failed = open_page(context, pages[0].path)
        if failed:
            findings.problem(failed)
            return
        button = tab.locator(
            f'form[action="{decline}"] button, form[action="{decline}"] [type=submit]'
        )
        if not button.count() or not button.first.is_visible():
            findings.problem(f"{pages[0].path}: no visible Reject all button in chromium")
            return
        button.first.click()
        tab.wait_for_load_state("load")
        for page in pages:
            tab, failed = open_page(context, page.path)
            if failed:
                findings.problem(failed)
                continue
            findings.looked()
            for problem in tracking_in_browser(context, tab, seen, page.path):
                findings.problem(f"after Reject all, {problem}")
            tab.close()


@rule(
    "gpc-honoured",
    "Global Privacy Control honoured",
    law="UK GDPR Art. 21(2)-(3) and (5) (objection by automated means); PECR reg. 6; ICO guidance "
    "on storage and access technologies",
    checks="A first visit sending Sec-GPC: 1 is recorded as a refusal of marketing and sharing "
    "groups, and gets no cookie of theirs.",
)
def gpc(audit: Audit) -> Result:
    findings = Findings("gpc-honoured", CLIENT)
    targets = [g.key for g in groups.current() if g.key in groups.GPC_PURPOSES]
    if not targets:
        return Result(
            "gpc-honoured",
            Status.NOT_APPLICABLE,
            "No consent group is for marketing or sharing, so GPC has nothing to refuse.",
            [CLIENT],
        )
    pages = audit.html_pages(findings)
    if not pages:
        return findings.result("")
    visitor = audit.visitor()
    for page in pages[:3]:
        answer = visitor.get(page.path, headers={"Sec-GPC": "1"})
        if not audit.looks_at(answer, findings):
            continue
        findings.looked()
        for problem in _served_tracking(answer, audit.host, audit.config.third_parties):
            findings.problem(f"with GPC, {problem}")
    current = consent_state(visitor.cookie(state.cookie_name()))
    if not current.gpc:
        findings.problem("the consent cookie does not record the GPC signal")
    not_refused = [key for key in targets if current.accepted(key) is not False]
    if not_refused:
        findings.problem(f"with GPC, not refused: {', '.join(not_refused)}")
    findings.note("Groups GPC refuses", ", ".join(targets))
    return findings.result(
        f"A GPC signal refused {', '.join(targets)} and set none of their cookies."
    )
