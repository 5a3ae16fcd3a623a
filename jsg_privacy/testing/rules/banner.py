"""The banner: accept and reject alike, closing is not consent, one choice per purpose, withdrawal
in one action, and a way back to the settings on every page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jsg_privacy.consent import groups, state
from jsg_privacy.testing.markup import banner_urls, form_posting_to, settings_links
from jsg_privacy.testing.results import BROWSER, CLIENT, Evidence, Findings, Result, Status
from jsg_privacy.testing.rules.base import BROWSER_ONLY, BROWSER_TOO, rule
from jsg_privacy.testing.rules.support import (
    browser_context,
    consent_state,
    needs_consent,
    open_page,
    screenshot,
)

if TYPE_CHECKING:
    from jsg_privacy.testing.audit import Audit

ICO_COOKIES = "ICO guidance on storage and access technologies (2026)"
LOOKS = """e => {
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    return {tag: e.tagName, fontSize: s.fontSize, fontWeight: s.fontWeight, color: s.color,
            background: s.backgroundColor, border: s.borderTopWidth + " " + s.borderTopStyle,
            width: Math.round(r.width), height: Math.round(r.height),
            inView: r.bottom > 0 && r.top < innerHeight && s.visibility !== "hidden"};
}"""
#: How much wider one of the two buttons may be (its words are longer): 25 %.
WIDTH_RATIO = 1.25


def _button(tab: Any, action: str) -> Any:
    return tab.locator(
        f'form[action="{action}"] button, form[action="{action}"] [type=submit]'
    ).first


@rule(
    "accept-reject-alike",
    "Accept and reject look alike, on the first layer",
    law=ICO_COOKIES + " (rejecting as easy as accepting); UK GDPR Art. 4(11), 7(4)",
    checks="On the first page, without opening anything, Accept all and Reject all are both "
    "visible, the same kind of element, with the same font, colours and border, and the same "
    "height (widths within 25 %).",
    browser=BROWSER_ONLY,
)
def alike(audit: Audit) -> Result:
    findings = Findings("accept-reject-alike", BROWSER)
    pages = audit.html_pages(findings)
    if not pages:
        return findings.result("")
    urls = banner_urls()
    with browser_context(audit) as (context, _seen):
        tab, failed = open_page(context, pages[0].path)
        if failed:
            findings.problem(failed)
            return findings.result("")
        looks = {}
        for name in ("accept", "decline"):
            button = _button(tab, urls[name])
            if not button.count() or not button.is_visible():
                label = "Accept all" if name == "accept" else "Reject all"
                findings.problem(f"{pages[0].path}: no visible {label} on the banner's first layer")
                continue
            looks[name] = button.evaluate(LOOKS)
        findings.add(Evidence("The banner", kind="screenshot", image=screenshot(tab)))
    if len(looks) == 2:
        findings.looked()
        accept, reject = looks["accept"], looks["decline"]
        findings.add(
            Evidence(
                "Computed looks",
                kind="table",
                rows=[{"button": "Accept all", **accept}, {"button": "Reject all", **reject}],
            )
        )
        for key in ("tag", "fontSize", "fontWeight", "color", "background", "border", "height"):
            if accept[key] != reject[key]:
                findings.problem(f"{key} differs: accept {accept[key]}, reject {reject[key]}")
        wide, narrow = max(accept["width"], reject["width"]), min(accept["width"], reject["width"])
        if narrow <= 0 or wide / narrow > WIDTH_RATIO:
            findings.problem(
                f"width differs: accept {accept['width']}px, reject {reject['width']}px"
            )
        for name, seen in looks.items():
            if not seen["inView"]:
                findings.problem(f"{name} is not in view on arrival")
    return findings.result("Accept all and Reject all are the same element, style and size.")


@rule(
    "closing-is-not-consent",
    "Closing the banner is not consent",
    law="UK GDPR Art. 4(11) (a clear affirmative act); " + ICO_COOKIES,
    checks="Closing the banner without choosing records no choice, sets nothing non-essential, "
    "and the banner is offered again on the next page.",
    browser=BROWSER_ONLY,
)
def closing(audit: Audit) -> Result:
    findings = Findings("closing-is-not-consent", BROWSER)
    pages = audit.html_pages(findings)
    if not pages:
        return findings.result("")
    with browser_context(audit) as (context, _seen):
        tab, failed = open_page(context, pages[0].path)
        if failed:
            findings.problem(failed)
            return findings.result("")
        close = tab.locator(
            '.jsg-cb__close, #jsg-cb [aria-label*="Close" i], #jsg-cb [aria-label*="Dismiss" i]'
        ).first
        if not close.count() or not close.is_visible():
            return Result(
                "closing-is-not-consent",
                Status.NOT_APPLICABLE,
                "The banner has no visible way to close it without choosing.",
                [BROWSER],
            )
        close.click()
        tab.wait_for_timeout(500)
        findings.looked()
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        current = consent_state(cookies.get(state.cookie_name()))
        accepted = [g.key for g in groups.current() if current.accepted(g.key)]
        if accepted:
            findings.problem(f"closing the banner counted as accepting {', '.join(accepted)}")
        for name in cookies:
            why = needs_consent(name)
            if why:
                findings.problem(f"after closing the banner, cookie {name} ({why})")
        next_path = pages[1].path if len(pages) > 1 else pages[0].path
        tab, failed = open_page(context, next_path)
        banner = tab.locator("#jsg-cb")
        if failed or not banner.count() or not banner.is_visible():
            findings.problem(f"the banner is not offered again on {next_path} after closing it")
    return findings.result("Closing the banner recorded nothing, set nothing, and it came back.")


@rule(
    "one-choice-per-purpose",
    "One choice per purpose",
    law="UK GDPR Art. 7(2) and Recital 43 (granular consent); " + ICO_COOKIES,
    checks="The banner's settings and the settings page offer one unticked switch per "
    "consent-based purpose, none that covers several.",
)
def per_purpose(audit: Audit) -> Result:
    findings = Findings("one-choice-per-purpose", CLIENT)
    keys = [g.key for g in groups.current()]
    if not keys:
        return Result(
            "one-choice-per-purpose",
            Status.NOT_APPLICABLE,
            "No purpose relies on consent: there is nothing to choose.",
            [CLIENT],
        )
    urls = banner_urls()
    pages = audit.html_pages()[:1]
    settings_page = audit.visitor().get(urls["settings"])
    if audit.looks_at(settings_page, findings):
        pages.append(settings_page)
    for page in pages:
        form = form_posting_to(page.soup, urls["save"], page.path)
        if form is None:
            findings.problem(f"{page.path}: no form to save choices per purpose ({urls['save']})")
            continue
        findings.looked()
        boxes = form.find_all("input", attrs={"name": "groups"})
        values = [str(box.get("value", "")) for box in boxes]
        for key in keys:
            if values.count(key) != 1:
                findings.problem(f"{page.path}: {values.count(key)} switches for {key}, not one")
        for box in boxes:
            if box.has_attr("checked"):
                findings.problem(f"{page.path}: the switch for {box.get('value')} is on already")
        extra = [v for v in values if v not in keys]
        if extra:
            findings.problem(f"{page.path}: switches for no single purpose: {', '.join(extra)}")
        for box in form.find_all("input", attrs={"type": "checkbox"}):
            if box.get("name") != "groups":
                findings.problem(
                    f'{page.path}: one switch (name="{box.get("name")}") covers several purposes'
                )
    findings.note("Consent-based purposes", ", ".join(keys))
    return findings.result(f"One switch, off, for each of {', '.join(keys)}.")


@rule(
    "settings-link-everywhere",
    "A privacy-settings link on every page",
    law="UK GDPR Art. 7(3) (withdrawing as easy as giving); " + ICO_COOKIES,
    checks="Every page that answers HTML links to the privacy settings "
    "({% privacy_settings_link %} or the settings page).",
)
def settings_link(audit: Audit) -> Result:
    findings = Findings("settings-link-everywhere", CLIENT)
    missing = []
    for path in audit.pages:
        page = audit.first_visit(path)
        if not audit.looks_at(page, findings):
            continue
        findings.looked()
        if not settings_links(page.soup, page.path):
            missing.append(path)
            findings.problem(f"{path}: no link to the privacy settings")
    return findings.result(f"All {findings.looked_at} pages link to the privacy settings.")


@rule(
    "withdraw-in-one-action",
    "Withdrawal in one action",
    law="UK GDPR Art. 7(3); PECR reg. 6; " + ICO_COOKIES,
    checks="After accepting everything, one Reject all from any page (reopened through the "
    "settings link in chromium) refuses every group and removes the non-essential cookies.",
    browser=BROWSER_TOO,
)
def withdraw(audit: Audit) -> Result:
    findings = Findings("withdraw-in-one-action", CLIENT)
    pages = audit.html_pages(findings)
    if not pages:
        return findings.result("")
    urls = banner_urls()
    visitor = audit.visitor()
    first = visitor.get(pages[0].path)
    accept = form_posting_to(first.soup, urls["accept"], first.path) if first.rendered else None
    if accept is None:
        findings.problem(f"{pages[0].path}: no Accept all form to start from")
        return findings.result("")
    visitor.submit(first, accept)
    later = visitor.get(pages[-1].path)
    decline = form_posting_to(later.soup, urls["decline"], later.path) if later.rendered else None
    if decline is None:
        findings.problem(f"{later.path}: after accepting, no Reject all to withdraw with")
    else:
        visitor.submit(later, decline)
        findings.looked()
        current = consent_state(visitor.cookie(state.cookie_name()))
        still = [g.key for g in groups.current() if current.accepted(g.key) is not False]
        if still:
            findings.problem(f"one Reject all left these not refused: {', '.join(still)}")
    if audit.browser is not None:
        findings.checked_with.append(BROWSER)
        _withdraw_in_browser(audit, findings, pages[0].path)
    return findings.result("One Reject all withdrew every consent and removed its cookies.")


def _withdraw_in_browser(audit: Audit, findings: Findings, path: str) -> None:
    urls = banner_urls()
    with browser_context(audit) as (context, _seen):
        tab, failed = open_page(context, path)
        if failed:
            findings.problem(failed)
            return
        accept = _button(tab, urls["accept"])
        if not accept.count():
            findings.problem(f"{path}: no Accept all button in chromium")
            return
        accept.click()
        tab, failed = open_page(context, path)  # the accepted tags run on the next page
        before = sorted(c["name"] for c in context.cookies() if needs_consent(c["name"]))
        link = tab.locator("[data-jsg-cb-open], a[href$='" + urls["settings"] + "']").first
        if not link.count():
            findings.problem(f"{path}: no privacy settings link to reopen the choices")
            return
        link.click()
        reject = _button(tab, urls["decline"])
        try:
            reject.wait_for(state="visible", timeout=5_000)
        except Exception:
            findings.problem("the settings link does not show Reject all")
            return
        reject.click()
        tab.wait_for_timeout(500)
        tab, failed = open_page(context, path)
        after = sorted(c["name"] for c in context.cookies() if needs_consent(c["name"]))
        findings.add(
            Evidence("Non-essential cookies before withdrawing", kind="list", items=before)
        )
        findings.add(
            Evidence("Non-essential cookies after one Reject all", kind="list", items=after)
        )
        if after:
            findings.problem(f"after withdrawing, still held: {', '.join(after)}")
        findings.looked()
