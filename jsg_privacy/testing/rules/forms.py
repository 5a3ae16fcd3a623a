"""The shop's forms: no consent box ticked in advance, and no card number accepted anywhere."""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING

from jsg_privacy.testing.markup import ticked_consent_boxes
from jsg_privacy.testing.results import CLIENT, Evidence, Findings, Result
from jsg_privacy.testing.rules.base import rule

if TYPE_CHECKING:
    from jsg_privacy.testing.audit import Audit
    from jsg_privacy.testing.visitors import Page

REDIRECTS = {301, 302, 303, 307, 308}
#: Stripe's public test card number (Luhn-valid, never a real card), as a visitor might type it.
TEST_CARD = "4242 4242 4242 4242"
SHOWN_CARD = "4242 •••• •••• 4242 (a public test number)"


@rule(
    "no-preticked-consent",
    "No consent box ticked in advance",
    law="UK GDPR Art. 4(11), 7 and Recital 32 (silence or pre-ticked boxes are not consent); PECR "
    "reg. 22 (marketing e-mail and SMS); ICO guidance on consent",
    checks="No form on any page — checkout and sign-up included — renders a consent, marketing "
    "or cookie box already ticked.",
)
def preticked(audit: Audit) -> Result:
    findings = Findings("no-preticked-consent", CLIENT)
    forms_seen: list[str] = []
    pages: list[Page] = []
    for path in audit.pages:
        if path in (audit.config.checkout,):
            continue
        page = audit.first_visit(path)
        if audit.looks_at(page, findings):
            pages.append(page)
    if audit.config.checkout:
        checkout = _checkout(audit)
        if audit.looks_at(checkout, findings):
            pages.append(checkout)
    for label, path in (("checkout", audit.config.checkout), ("sign-up", audit.config.sign_up)):
        if not path:
            findings.note(
                f"No {label} page", f'JSG_PRIVACY_KIT["{label.replace("-", "_")}"] is not set.'
            )
    for page in pages:
        findings.looked()
        if page.soup.find("form"):
            forms_seen.append(page.path)
        for box in ticked_consent_boxes(page.soup, audit.config.ignore_boxes):
            findings.problem(f"{page.path}: a consent box is ticked already: {box}")
    findings.add(Evidence("Pages with forms", kind="list", items=forms_seen))
    return findings.result(f"No consent box is ticked in advance on {findings.looked_at} pages.")


def _checkout(audit: Audit) -> Page:
    """The checkout as a visitor with something in the basket sees it."""
    visitor = audit.visitor()
    if audit.config.before_checkout is not None:
        audit.config.before_checkout(visitor)
    checkout = audit.config.checkout
    page = visitor.get(checkout)
    # A checkout that starts by sending the customer to its first step (Oscar's goes to the
    # delivery address) is followed, within the checkout; anywhere else is a checkout not shown.
    for _step in range(5):
        location = urllib.parse.urlsplit(page.location).path
        if not (page.status in REDIRECTS and location.startswith(checkout)):
            break
        page = visitor.get(location)
    if page.status is not None and 300 <= page.status < 400:
        page.error = (
            f"answered {page.status} to {page.location or '?'} instead of the checkout form"
            + (
                ""
                if audit.config.before_checkout
                else '; set JSG_PRIVACY_KIT["before_checkout"] to fill the basket first'
            )
        )
    return page


@rule(
    "card-number-refused",
    "A card number sent anywhere is refused",
    law="UK GDPR Art. 5(1)(c) and 32 (data minimisation, security); PCI DSS scope (card data "
    "goes to the payment provider only)",
    checks="A card number in a query string or a posted form, on every page and the checkout, "
    "is refused with a 400 before any view, session or log sees it.",
)
def card_number(audit: Audit) -> Result:
    findings = Findings("card-number-refused", CLIENT)
    digits = TEST_CARD.replace(" ", "")
    paths = []
    for path in audit.pages:
        first = audit.first_visit(path)
        if first.error:
            findings.problem(first.describe())
        elif path in audit.listed or first.status not in (404, 405):
            paths.append(path)
    for path in paths:
        visitor = audit.visitor()
        joiner = "&" if "?" in path else "?"
        for method, answer in (
            ("GET with ?note=<card>", visitor.get(f"{path}{joiner}note={digits}")),
            (
                "POST note=<card>",
                visitor.post(path, {"note": TEST_CARD}, headers={"Accept": "application/json"}),
            ),
        ):
            findings.looked()
            if answer.error:
                findings.problem(f"{method} to {path}: {answer.error}")
            elif answer.status != 400:
                findings.problem(
                    f"{method} to {path} answered {answer.status}, not 400: no card-data guard "
                    "refused the card number"
                )
            elif digits in answer.html:
                findings.problem(f"{method} to {path}: the refusal repeats the card number")
    findings.note("Card number sent", SHOWN_CARD)
    return findings.result(f"{findings.looked_at} requests carrying a card number were refused.")
