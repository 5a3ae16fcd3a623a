"""The product page with the cookie banner and gated tags, against the same page with consent off.

Both visitors carry a decided consent cookie. "Consent off" is the shop without jsg_privacy's consent
layer: no ``ConsentMiddleware`` and no ``UsageMiddleware`` (which logs an accepted visitor's page
views), and a ``base.html`` generated at run time from the shop's own by
removing the consent tags (``consent_head``, ``consent_banner``, ``privacy_settings_link``) and the
gated ``<script type="text/plain" data-consent>`` tags, so it stays in step with the shop's template.
``tests/jsg_privacy/test_consent_queries.py`` uses the same switch to count queries.

The two variants run in one process, interleaved: each has its own test client (so its own
middleware chain) and its own template engines, swapped in for its requests.
"""

from __future__ import annotations

import copy
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import loader
from django.template.utils import EngineHandler
from django.test import Client, override_settings

from bench.runner import Figure, Result, compare
from jsg_privacy.consent import state

CONSENT_MIDDLEWARE = "jsg_privacy.consent.middleware.ConsentMiddleware"
USAGE_MIDDLEWARE = "jsg_privacy.usage.middleware.UsageMiddleware"
TARGET = 1.05

#: What the consent layer adds to a page template, each on a line of its own in the shop's base.html.
CONSENT_MARKUP = [
    re.compile(r"^[ \t]*\{%\s*consent_(?:head|banner|script)\b[^%]*%\}[ \t]*\n", re.M),
    re.compile(r"^[ \t]*<li>\s*\{%\s*privacy_settings_link\b[^%]*%\}\s*</li>[ \t]*\n", re.M),
    re.compile(r"^[ \t]*\{#[^#]*\bconsent\b[^#]*#\}[ \t]*\n", re.M),
    re.compile(r"^[ \t]*<script\b[^>]*\bdata-consent=[^>]*>\s*</script>[ \t]*\n", re.M),
]
LEFT_OVER = re.compile(
    r"consent_head|consent_banner|consent_script|privacy_settings_link|data-consent|ifconsent"
)


def strip_consent(template: str) -> str:
    """``template`` without the consent layer's tags; fails loudly if any are left."""
    stripped = template
    for pattern in CONSENT_MARKUP:
        stripped = pattern.sub("", stripped)
    left = LEFT_OVER.search(stripped)
    if left or stripped == template:
        raise RuntimeError(
            f"could not take the consent layer out of base.html (left: {left and left.group()}): "
            "update bench/bench_consent.py's CONSENT_MARKUP to the shop's template"
        )
    return stripped


def consent_off_settings(directory: Path) -> dict[str, Any]:
    """MIDDLEWARE and TEMPLATES of the project with the consent layer off.

    Writes the stripped ``base.html`` into ``directory``, which the returned TEMPLATES search first.
    """
    shop_base = Path(loader.get_template("base.html").origin.name)
    (directory / "base.html").write_text(strip_consent(shop_base.read_text()))
    templates = copy.deepcopy(settings.TEMPLATES)
    django_engine = next(t for t in templates if t["BACKEND"].endswith("DjangoTemplates"))
    django_engine["DIRS"] = [directory, *django_engine.get("DIRS", [])]
    # The usage log goes too: it records the page views of visitors who accepted analytics, so a
    # baseline that kept it would hide what a page view of such a visitor costs.
    middleware = [m for m in settings.MIDDLEWARE if m not in (CONSENT_MIDDLEWARE, USAGE_MIDDLEWARE)]
    assert CONSENT_MIDDLEWARE in settings.MIDDLEWARE, "ConsentMiddleware is not installed"
    return {"MIDDLEWARE": middleware, "TEMPLATES": templates}


@contextmanager
def consent_off() -> Iterator[dict[str, Any]]:
    """Settings for the consent layer off, valid while the context lasts (its templates are there)."""
    with tempfile.TemporaryDirectory(prefix="jsg-consent-off-") as directory:
        yield consent_off_settings(Path(directory))


def decided_visitor(choice: str | None) -> Client:
    """A visitor who answered the banner: ``choice`` is ``accept`` or ``decline`` (all groups).

    With ``None``, a visitor who has not chosen yet.
    """
    client = Client()
    if choice is None:
        return client
    response = client.post(f"/privacy/cookies/{choice}/", {"all": "1", "next": "/"})
    assert response.status_code == 302, response.status_code
    assert state.cookie_name() in client.cookies
    if choice == "accept":  # what the shop's analytics tag then sets, so the middleware checks it
        client.cookies["_sa_id"] = "1234-5678"
        client.cookies["_sa_s_m4k2x9"] = "1"
    return client


def run() -> list[Result | Figure]:
    from example_shop.factories import ProductFactory

    product = ProductFactory(stock=12)
    url = f"/products/{product.slug}/"
    on_engines = loader.engines
    results: list[Result | Figure] = []
    with consent_off() as off:
        off_engines = EngineHandler(off["TEMPLATES"])
        try:
            for choice, label in (("accept", "accepted"), ("decline", "refused")):
                on_client = decided_visitor(choice)
                off_client = Client()
                off_client.cookies = copy.deepcopy(on_client.cookies)

                def subject(client: Client = on_client) -> Any:
                    loader.engines = on_engines
                    return client.get(url)

                def baseline(client: Client = off_client) -> Any:
                    loader.engines = off_engines
                    return client.get(url)

                # The client's handler loads its middleware on its first request, and keeps it.
                with override_settings(MIDDLEWARE=off["MIDDLEWARE"]):
                    off_page = baseline()
                on_page = subject()
                assert on_page.status_code == off_page.status_code == 200
                assert b'id="jsg-cb"' in on_page.content
                assert b"data-consent=" in on_page.content
                assert b"jsg-cb" not in off_page.content
                assert b"data-consent=" not in off_page.content
                results.append(
                    compare(
                        f"product page with banner and gating / consent off, visitor {label} all",
                        subject,
                        baseline,
                        target=TARGET,
                    )
                )
            results += cookieless_gpc(url, on_engines, off_engines, off["MIDDLEWARE"])
        finally:
            loader.engines = on_engines
    return results


def cookieless_gpc(
    url: str, on_engines: EngineHandler, off_engines: EngineHandler, off_middleware: list[str]
) -> list[Result | Figure]:
    """A client that sends ``Sec-GPC: 1`` and never returns a cookie: each request is a stranger.

    Its cost against the same request with consent off, and the ledger rows its requests add
    (before, one per request: the ledger grew without bound)."""
    from jsg_privacy.consent.models import ConsentRecord

    on_client, off_client = Client(HTTP_SEC_GPC="1"), Client(HTTP_SEC_GPC="1")

    def subject() -> Any:
        loader.engines = on_engines
        on_client.cookies.clear()
        return on_client.get(url)

    def baseline() -> Any:
        loader.engines = off_engines
        off_client.cookies.clear()
        return off_client.get(url)

    with override_settings(MIDDLEWARE=off_middleware):
        baseline()
    page = subject()
    assert "gpc" in page.cookies["jsg_consent_ui"].value  # honoured on every request
    before = ConsentRecord.objects.count()
    result = compare(
        "product page, a client with Sec-GPC: 1 that keeps no cookies / consent off",
        subject,
        baseline,
        target=TARGET,
    )
    requests = (result.rounds + 1) * result.number
    added = ConsentRecord.objects.count() - before
    return [
        result,
        Figure(
            "consent ledger rows added by that client",
            f"{added} for {requests} requests (bound: 0 until it returns the consent cookie, then "
            "1 per purpose; before: 1 per request)",
        ),
    ]
